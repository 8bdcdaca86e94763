using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>CLIP's patch, class and position embeddings (HF <c>CLIPVisionEmbeddings</c>).</summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;
#pragma warning restore IDE1006
    private readonly long positions;

    /// <summary>Creates the embeddings for <paramref name="imageSize"/>-pixel images cut into <paramref name="patchSize"/>-pixel patches.</summary>
    public ClipVisionEmbeddings(int hidden, int imageSize, int patchSize, int channels, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClipVisionEmbeddings))
    {
        class_embedding = new Parameter(torch.zeros(hidden, dtype: dtype, device: device), requires_grad: false);
        patch_embedding = nn.Conv2d(channels, hidden, kernel_size: patchSize, stride: patchSize, bias: false, device: device, dtype: dtype);
        var grid = imageSize / patchSize;
        positions = (grid * grid) + 1;
        position_embedding = nn.Embedding(positions, hidden, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Pixel values [B, C, H, W] → embeddings [B, 1 + grid², hidden] with [CLS] first.</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = torch.NewDisposeScope();
        var batch = pixelValues.shape[0];
        var patches = patch_embedding.forward(pixelValues.to(patch_embedding.weight!.dtype)).flatten(2).transpose(1, 2);
        var cls = class_embedding.expand(batch, 1, -1);
        var embeddings = torch.cat([cls, patches], dim: 1);
        var ids = torch.arange(positions, device: pixelValues.device);
        return (embeddings + position_embedding.forward(ids).unsqueeze(0)).MoveToOuterDisposeScope();
    }
}

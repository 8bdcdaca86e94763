using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>SigLIP's patch and position embeddings (HF <c>SiglipVisionEmbeddings</c>): a convolution with bias, one learned position per patch, no class token.</summary>
public sealed class SiglipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;
#pragma warning restore IDE1006
    private readonly long positions;

    /// <summary>Creates the embeddings for <paramref name="imageSize"/>-pixel images cut into <paramref name="patchSize"/>-pixel patches (image_size // patch_size per side; the convolution drops any remainder).</summary>
    public SiglipVisionEmbeddings(int hidden, int imageSize, int patchSize, int channels, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SiglipVisionEmbeddings))
    {
        patch_embedding = nn.Conv2d(channels, hidden, kernel_size: patchSize, stride: patchSize, bias: true, device: device, dtype: dtype);
        var grid = imageSize / patchSize;
        positions = grid * grid;
        position_embedding = nn.Embedding(positions, hidden, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Pixel values [B, C, H, W] → embeddings [B, grid², hidden] in raster order.</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = torch.NewDisposeScope();
        var patches = patch_embedding.forward(pixelValues.to(patch_embedding.weight!.dtype)).flatten(2).transpose(1, 2);
        var ids = torch.arange(positions, device: pixelValues.device);
        return (patches + position_embedding.forward(ids).unsqueeze(0)).MoveToOuterDisposeScope();
    }
}

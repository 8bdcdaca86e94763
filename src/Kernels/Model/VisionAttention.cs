using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>Vision-transformer multi-head self-attention without a mask (HF <c>CLIPAttention</c> and <c>SiglipAttention</c>, eager path: the same maths).</summary>
public sealed class VisionAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names mirror the checkpoint's tensor names.
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly int headDim;
    private readonly double scale;

    /// <summary>Creates the attention block.</summary>
    public VisionAttention(int hidden, int heads, Device? device = null, ScalarType? dtype = null)
        : base(nameof(VisionAttention))
    {
        this.heads = heads;
        headDim = hidden / heads;
        scale = Math.Pow(headDim, -0.5);
        q_proj = nn.Linear(hidden, hidden, hasBias: true, device: device, dtype: dtype);
        k_proj = nn.Linear(hidden, hidden, hasBias: true, device: device, dtype: dtype);
        v_proj = nn.Linear(hidden, hidden, hasBias: true, device: device, dtype: dtype);
        out_proj = nn.Linear(hidden, hidden, hasBias: true, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>[B, L, hidden] → [B, L, hidden].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        var (batch, length) = (hidden.shape[0], hidden.shape[1]);
        var q = q_proj.forward(hidden).view(batch, length, heads, headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(batch, length, heads, headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(batch, length, heads, headDim).transpose(1, 2);
        var weights = torch.matmul(q, k.transpose(2, 3)) * scale;
        // Softmax in fp32 as HF does, whatever the weights' dtype.
        var probabilities = weights.softmax(-1, ScalarType.Float32).to(q.dtype);
        var output = torch.matmul(probabilities, v).transpose(1, 2).reshape(batch, length, -1);
        return out_proj.forward(output).MoveToOuterDisposeScope();
    }
}

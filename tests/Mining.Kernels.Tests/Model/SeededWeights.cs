using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Tests.Model;

/// <summary>Fills a module's parameters with seeded values and hands the same values to the plain implementations in the tests.</summary>
internal static class SeededWeights
{
    public static Dictionary<string, float[]> Fill(nn.Module module, int seed, float scale = 0.3f)
    {
        var random = new Random(seed);
        var values = new Dictionary<string, float[]>();
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var data = Values(random, (int)parameter.numel(), scale);
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name.EndsWith("norm.weight", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal))
            {
                data = data.Select(v => 1f + v).ToArray();
            }

            using var source = torch.tensor(data, parameter.shape);
            parameter.copy_(source);
            values[name] = data;
        }

        return values;
    }

    public static float[] Values(Random random, int count, float scale = 1f)
    {
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return data;
    }
}

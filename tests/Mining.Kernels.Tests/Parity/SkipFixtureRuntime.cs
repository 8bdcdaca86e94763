using System.Text.Json;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Parity;

/// <summary>
/// tests/fixtures/llava-tiny-skip-ref loaded once for a test class: its checkpoint (batched as the engine chooses, and
/// a second copy that runs every variant alone), its parameters and its expected.json.
/// </summary>
public sealed class SkipFixtureRuntime : IDisposable
{
    public SkipFixtureRuntime()
    {
        Runtime = LlavaRuntime.Load(Model);
        Unbatched = LlavaRuntime.Load(Model, maxBatchTokens: 1, engineOptions: new EngineOptions(BranchMinimum: int.MaxValue, CallCostTokens: 0));
        Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        Parameters = MiningParameters.FromJson(Expected.RootElement.GetProperty("parameters").GetRawText());
    }

    public static string Folder => Path.Combine(TestData.Root, "fixtures", "llava-tiny-skip-ref");

    public static string Model => Path.Combine(Folder, "model");

    public static readonly string[] ImageNames = ["chelsea", "camera", "coffee84"];

    public LlavaRuntime Runtime { get; }

    /// <summary>The same checkpoint with a one-token budget and no branching: one variant per forward call.</summary>
    public LlavaRuntime Unbatched { get; }

    public JsonDocument Expected { get; }

    /// <summary>The fixture's parameters (skip_leading_tokens ["▁A"]).</summary>
    public MiningParameters Parameters { get; }

    public JsonElement Image(string name) => Expected.RootElement.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name);

    /// <summary>Encodes a fixture image from the pixel values the fixture stored.</summary>
    public EncodedImage Encode(LlavaRuntime runtime, string name) =>
        runtime.Encode(NpyFile.Read(Path.Combine(Folder, "arrays", $"{name}.pixel_values.npy")).ToFloat32());

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public void Dispose()
    {
        Runtime.Dispose();
        Unbatched.Dispose();
        Expected.Dispose();
    }
}

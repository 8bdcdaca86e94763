namespace Mining.Kernels.Tests;

/// <summary>Paths to the data copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Root => AppContext.BaseDirectory;

    public static string Fixture => Path.Combine(Root, "fixtures", "llava-tiny-ref");

    public static string FixtureModel => Path.Combine(Fixture, "model");

    public static string FixtureImage(string name) => Path.Combine(Fixture, "images", name);

    public static string FixtureArray(string name) => Path.Combine(Fixture, "arrays", name);

    /// <summary>The LLaVA-NeXT (LLaMA-3, byte-level BPE) reference fixture.</summary>
    public static string NextFixture => Path.Combine(Root, "fixtures", "llava-next-tiny-ref");

    public static string NextFixtureModel => Path.Combine(NextFixture, "model");

    public static string NextFixtureImage(string name) => Path.Combine(NextFixture, "images", name);

    public static string NextFixtureArray(string name) => Path.Combine(NextFixture, "arrays", name);

    /// <summary>The LLaVA-OneVision (SigLIP, Qwen2, byte-level BPE) reference fixture.</summary>
    public static string OnevisionFixture => Path.Combine(Root, "fixtures", "llava-ov-tiny-ref");

    public static string OnevisionFixtureModel => Path.Combine(OnevisionFixture, "model");

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "mining-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

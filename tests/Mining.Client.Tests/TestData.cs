namespace Mining.Client.Tests;

/// <summary>Paths to the data copied next to the test assembly (the fixture, and the CLI's sample images).</summary>
internal static class TestData
{
    public static string Root => AppContext.BaseDirectory;

    public static string Fixture => Path.Combine(Root, "fixtures", "llava-tiny-ref");

    public static string FixtureModel => Path.Combine(Fixture, "model");

    /// <summary>tests/fixtures/llava-tiny-skip-ref: a second tiny checkpoint on which the skip-a-leading-"▁A" rule fires.</summary>
    public static string SkipFixture => Path.Combine(Root, "fixtures", "llava-tiny-skip-ref");

    public static string FixtureImage(string name) => Path.Combine(Fixture, "images", name);

    public static string FixtureArray(string name) => Path.Combine(Fixture, "arrays", name);

    /// <summary>The LLaVA-NeXT (LLaMA-3, byte-level BPE) reference fixture.</summary>
    public static string NextFixture => Path.Combine(Root, "fixtures", "llava-next-tiny-ref");

    public static string NextFixtureModel => Path.Combine(NextFixture, "model");

    public static string OnevisionFixture => Path.Combine(Root, "fixtures", "llava-ov-tiny-ref");

    public static string OnevisionFixtureModel => Path.Combine(OnevisionFixture, "model");

    /// <summary>The paper's released codebook for LLaVA-1.5-7B, as .npy plus its source image ids (tests/fixtures/reference-codebooks).</summary>
    public static string ReferenceCodebooks => Path.Combine(Root, "fixtures", "reference-codebooks");

    /// <summary>The released prototypes: 454 × 4096 float16.</summary>
    public static string ReferencePrototypes => Path.Combine(ReferenceCodebooks, "llava-v1.5-7b.prototypes.npy");

    /// <summary>The COCO image id of each released prototype, a JSON array of 454 strings.</summary>
    public static string ReferenceSourceIds => Path.Combine(ReferenceCodebooks, "llava-v1.5-7b.source-image-ids.json");

    /// <summary>The sample images that the Client project copies next to mining.dll.</summary>
    public static string SampleImages => Path.Combine(Root, "samples", "images");

    /// <summary>This test run's folder under the system temp folder; <see cref="TempFolderCleanup"/> deletes it at the end.</summary>
    public static string TempRoot { get; } = Path.Combine(Path.GetTempPath(), "mining-client-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A fresh empty folder under <see cref="TempRoot"/>.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Codebooks;

/// <summary>The compatibility rule: readers accept format major version 1 (any minor) and refuse every other by name.</summary>
public sealed class CodebookFormatVersionTests
{
    private static readonly float[][] TwoByThree = [[1f, 2f, 3f], [4f, 5f, 6f]];

    private static string Written(string version, bool onlyTheVersionKey = false)
    {
        var path = Path.Combine(TestData.NewTempFolder(), $"v{version}.parquet");
        var pairs = onlyTheVersionKey ? new Dictionary<string, string>() : ForeignCodebook.Pairs(3);
        pairs["mining.format_version"] = version;
        ForeignCodebook.Write(path, pairs, [0, 1], TwoByThree, ["a", "b"]);
        return path;
    }

    [Fact]
    public void Format_version_2_is_refused_naming_it_and_the_supported_version()
    {
        var path = Written("2");
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("mining.format_version is '2' (major version 2)", e.Message);
        Assert.Contains("supports format version 1", e.Message);
    }

    [Fact]
    public void A_newer_major_version_is_refused_for_its_version_before_any_missing_key()
    {
        // A version-2 file need not carry version 1's keys; the version is what the caller must hear about.
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(Written("2", onlyTheVersionKey: true)));
        Assert.Contains("'2'", e.Message);
        Assert.DoesNotContain("missing", e.Message);
    }

    [Fact]
    public void A_minor_version_of_format_1_is_read()
    {
        var codebook = CodebookParquet.Read(Written("1.3"));
        Assert.Equal("1.3", codebook.Metadata.FormatVersion);
        Assert.Equal(2, codebook.Count);
    }

    [Theory]
    [InlineData("one")]
    [InlineData("1.2.3")]
    [InlineData("")]
    public void A_version_that_is_not_major_or_major_dot_minor_is_refused(string version)
    {
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(Written(version)));
        Assert.Contains($"'{version}'", e.Message);
        Assert.Contains("supports format version 1", e.Message);
    }

    [Fact]
    public void Writing_always_records_the_version_this_library_writes()
    {
        var read = CodebookParquet.Read(Written("1.3"));
        var path = Path.Combine(TestData.NewTempFolder(), "rewritten.parquet");
        CodebookParquet.Write(read, path);
        Assert.Equal("1", CodebookParquet.Read(path).Metadata.FormatVersion);
    }
}

using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Probe;

/// <summary><see cref="CodebookRequirement"/> with a family: the check <c>probe --model DIR</c> and inference nodes make.</summary>
public sealed class CodebookFamilyRequirementTests
{
    private static Codebook Book(int hidden, string? family) =>
        new(new CodebookMetadata("m", hidden, 1, [], "{}", DateTimeOffset.UnixEpoch) { Family = family }, [new CodebookEntry(0, new float[hidden], "a", -1, 0, 1)]);

    private static CodebookRequirement Checkpoint(string family, int hidden) => new(HiddenSize: hidden, Family: family) { Caller = "ckpt" };

    [Fact]
    public void A_codebook_of_another_family_and_width_names_both_of_each()
    {
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint("llava", 4096).Check(Book(3584, "onevision"), "ov.parquet"));
        Assert.Equal("codebook ov.parquet is for family onevision (3584 wide); model ckpt is llava (4096)", e.Message);
    }

    [Fact]
    public void A_codebook_of_another_family_at_the_same_width_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint("next", 4096).Check(Book(4096, "llava"), "cb"));
        Assert.Equal("codebook cb is for family llava (4096 wide); model ckpt is next (4096)", e.Message);
    }

    [Fact]
    public void A_codebook_of_the_same_family_and_another_width_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint("onevision", 896).Check(Book(3584, "onevision"), "cb"));
        Assert.Equal("codebook cb is for family onevision (3584 wide); model ckpt is onevision (896)", e.Message);
    }

    [Fact]
    public void A_codebook_without_a_family_is_checked_on_its_width_alone()
    {
        Checkpoint("next", 64).Check(Book(64, null), "cb");
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint("next", 64).Check(Book(65, null), "cb"));
        Assert.Equal("codebook cb is 65 wide (it records no family); model ckpt is next (64)", e.Message);
    }

    [Fact]
    public void The_same_family_and_width_pass_whatever_the_case()
    {
        Checkpoint("OneVision", 3584).Check(Book(3584, "onevision"), "cb");
    }

    [Fact]
    public void Without_a_caller_name_the_message_says_the_callers_model()
    {
        var e = Assert.Throws<InvalidDataException>(() => new CodebookRequirement(HiddenSize: 4096, Family: "llava").Check(Book(3584, "onevision"), "cb"));
        Assert.EndsWith("the caller's model is llava (4096)", e.Message, StringComparison.Ordinal);
    }
}

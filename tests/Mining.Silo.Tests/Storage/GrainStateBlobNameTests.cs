using System.Security.Cryptography;
using System.Text;
using Mining.Silo.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>How grain states are named in the container.</summary>
public sealed class GrainStateBlobNameTests
{
    [Fact]
    public void A_plain_key_is_kept_as_it_is()
    {
        Assert.Equal("counter/counter/alpha-1_b", GrainStateBlobName.For("counter", GrainId.Create("counter", "alpha-1_b")));
    }

    [Fact]
    public void Slashes_dots_spaces_and_percent_signs_are_escaped()
    {
        Assert.Equal("job%2Estate/mining%2Ejob/a%2Fb%2E%2E%20%25%5C", GrainStateBlobName.For("job.state", GrainId.Create("mining.job", "a/b.. %\\")));
    }

    [Fact]
    public void Non_ascii_characters_are_escaped_as_their_utf8_bytes()
    {
        // 'é' is U+00E9, UTF-8 C3 A9.
        Assert.Equal("s/t/caf%C3%A9", GrainStateBlobName.For("s", GrainId.Create("t", "café")));
    }

    [Fact]
    public void Keys_that_differ_only_in_an_escaped_character_get_different_names()
    {
        Assert.NotEqual(
            GrainStateBlobName.For("s", GrainId.Create("t", "a/b")),
            GrainStateBlobName.For("s", GrainId.Create("t", "a%2Fb")));
    }

    [Fact]
    public void An_overlong_key_is_replaced_by_its_sha256()
    {
        var key = new string('k', 2000);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

        var name = GrainStateBlobName.For("s", GrainId.Create("t", key));

        Assert.Equal("s/t/~" + hash, name);
    }
}

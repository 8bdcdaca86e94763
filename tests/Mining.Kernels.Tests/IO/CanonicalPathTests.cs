using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.IO;

public sealed class CanonicalPathTests
{
    private readonly string root = TestData.NewTempFolder();

    [Fact]
    public void A_path_without_links_is_itself()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "a", "b")).FullName;

        Assert.Equal(folder, CanonicalPath.Of(folder));
    }

    [Fact]
    public void A_folder_link_is_replaced_by_its_target()
    {
        var target = Directory.CreateDirectory(Path.Combine(root, "target")).FullName;
        File.WriteAllText(Path.Combine(target, "file.txt"), "x");
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), target);

        Assert.Equal(Path.Combine(target, "file.txt"), CanonicalPath.Of(Path.Combine(root, "link", "file.txt")));
    }

    [Fact]
    public void Dot_dot_in_a_relative_link_target_climbs_from_the_target_not_from_the_link()
    {
        // root/deep/inner is a real folder; root/up -> deep/inner; root/up/.. is root/deep (as realpath), not root.
        var inner = Directory.CreateDirectory(Path.Combine(root, "deep", "inner")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "up"), Path.Combine("deep", "inner"));
        File.CreateSymbolicLink(Path.Combine(root, "climb"), Path.Combine("up", ".."));

        Assert.Equal(inner, CanonicalPath.Of(Path.Combine(root, "up")));
        Assert.Equal(Path.Combine(root, "deep"), CanonicalPath.Of(Path.Combine(root, "climb")));
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_end()
    {
        var target = Directory.CreateDirectory(Path.Combine(root, "end")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "second"), target);
        Directory.CreateSymbolicLink(Path.Combine(root, "first"), Path.Combine(root, "second"));

        Assert.Equal(target, CanonicalPath.Of(Path.Combine(root, "first")));
    }

    [Fact]
    public void A_missing_tail_is_kept_after_the_resolved_part()
    {
        var target = Directory.CreateDirectory(Path.Combine(root, "real")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "alias"), target);

        Assert.Equal(Path.Combine(target, "missing", "file.png"), CanonicalPath.Of(Path.Combine(root, "alias", "missing", "file.png")));
    }

    [Fact]
    public void A_dangling_link_resolves_to_where_it_points()
    {
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "/nonexistent/elsewhere");

        Assert.Equal("/nonexistent/elsewhere", CanonicalPath.Of(Path.Combine(root, "dangling")));
    }

    [Fact]
    public void A_loop_of_links_is_an_error_naming_the_path()
    {
        File.CreateSymbolicLink(Path.Combine(root, "ping"), Path.Combine(root, "pong"));
        File.CreateSymbolicLink(Path.Combine(root, "pong"), Path.Combine(root, "ping"));

        var error = Assert.Throws<IOException>(() => CanonicalPath.Of(Path.Combine(root, "ping")));

        Assert.Contains("too many levels of symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data", "/data", true)]
    [InlineData("/data/x/y", "/data", true)]
    [InlineData("/database", "/data", false)]
    [InlineData("/data", "/data/", true)]
    [InlineData("/anything", "/", true)]
    [InlineData("/dat", "/data", false)]
    public void Inside_means_the_root_itself_or_below_it_at_a_separator(string path, string rootPath, bool inside)
    {
        Assert.Equal(inside, CanonicalPath.IsInside(path, rootPath));
    }
}

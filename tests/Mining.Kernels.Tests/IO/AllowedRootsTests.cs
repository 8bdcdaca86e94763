using System.Diagnostics;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.IO;

/// <summary>The one location policy: inside the roots with links followed, regular files only, errors that name only what was given.</summary>
public sealed class AllowedRootsTests
{
    private readonly string root = TestData.NewTempFolder();
    private readonly string outside = TestData.NewTempFolder();

    private AllowedRoots Roots => new([root]);

    [Fact]
    public void A_file_inside_the_roots_is_read()
    {
        var file = Write(root, "inside.txt", "hello");

        Assert.Equal("hello"u8.ToArray(), Roots.ReadAllBytes(file));
        Assert.Equal(file, Roots.Resolve(file));
    }

    [Fact]
    public void A_file_outside_the_roots_is_refused()
    {
        var file = Write(outside, "outside.txt", "secret");

        var error = Assert.Throws<InputFileException>(() => Roots.OpenRead(file));

        Assert.Equal($"'{file}' is outside the allowed roots", error.Message);
    }

    [Fact]
    public void A_link_inside_the_roots_to_a_file_outside_is_refused_without_saying_where_it_leads()
    {
        var target = Write(outside, "target.txt", "secret");
        var link = Path.Combine(root, "link.txt");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<InputFileException>(() => Roots.ReadAllBytes(link));

        Assert.Equal($"'{link}' is outside the allowed roots", error.Message);
        Assert.DoesNotContain(outside, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(root + ",", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_inside_the_roots_to_a_file_inside_is_read()
    {
        var target = Write(root, "target.txt", "fine");
        var link = Path.Combine(root, "alias.txt");
        File.CreateSymbolicLink(link, target);

        Assert.Equal("fine"u8.ToArray(), Roots.ReadAllBytes(link));
    }

    [Fact]
    public void A_named_pipe_is_refused_at_once_even_without_roots()
    {
        var pipe = Path.Combine(root, "pipe.png");
        MakeFifo(pipe);

        // Opening a pipe for reading would wait for a writer; these return at once.
        Assert.Equal($"'{pipe}' is not a regular file", Assert.Throws<InputFileException>(() => Roots.OpenRead(pipe)).Message);
        Assert.Equal($"'{pipe}' is not a regular file", Assert.Throws<InputFileException>(() => AllowedRoots.Anywhere.OpenRead(pipe)).Message);
    }

    [Fact]
    public void A_device_is_refused()
    {
        Assert.Equal("'/dev/zero' is not a regular file", Assert.Throws<InputFileException>(() => AllowedRoots.Anywhere.ReadAllBytes("/dev/zero")).Message);
    }

    [Theory]
    [InlineData("relative/file.png", "must be an absolute path")]
    [InlineData("https://account.blob.core.windows.net/data/a.png", "blob URIs are not read")]
    [InlineData("file:///etc/passwd", "blob URIs are not read")]
    public void Paths_the_rules_refuse_name_the_rule(string path, string problem)
    {
        Assert.Contains(problem, Assert.Throws<InputFileException>(() => Roots.Check(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dot_dot_segment_is_refused_even_when_it_stays_inside()
    {
        var path = Path.Combine(root, "a", "..", "b.png");

        Assert.Equal($"'{path}' must not contain '..' segments", Assert.Throws<InputFileException>(() => Roots.Check(path)).Message);
    }

    [Fact]
    public void A_missing_file_is_not_found()
    {
        var path = Path.Combine(root, "missing.png");

        Assert.Throws<FileNotFoundException>(() => Roots.OpenRead(path));
        Assert.Equal($"'{path}' does not exist", Assert.Throws<InputFileException>(() => Roots.Resolve(path)).Message);
        Assert.Equal(path, Roots.Check(path));
    }

    [Fact]
    public void A_model_folder_with_a_file_linked_out_of_the_roots_names_that_file()
    {
        var model = Directory.CreateDirectory(Path.Combine(root, "model")).FullName;
        Write(model, "config.json", "{}");
        File.CreateSymbolicLink(Path.Combine(model, "model.safetensors"), Write(outside, "weights.safetensors", "x"));

        var error = Assert.Throws<InputFileException>(() => Roots.CheckFolder(model));

        Assert.Equal($"'{Path.Join(model, "model.safetensors")}' is outside the allowed roots", error.Message);
    }

    [Fact]
    public void A_model_folder_holding_a_named_pipe_is_refused()
    {
        var model = Directory.CreateDirectory(Path.Combine(root, "piped")).FullName;
        MakeFifo(Path.Combine(model, "model.safetensors"));

        Assert.EndsWith("is not a regular file", Assert.Throws<InputFileException>(() => Roots.CheckFolder(model)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_folder_inside_the_roots_passes_and_comes_back_canonical()
    {
        var model = Directory.CreateDirectory(Path.Combine(root, "real")).FullName;
        Write(model, "config.json", "{}");
        var link = Path.Combine(root, "alias");
        Directory.CreateSymbolicLink(link, model);

        Assert.Equal(model, Roots.CheckFolder(link));
    }

    [Fact]
    public void A_manifest_that_is_a_named_pipe_fails_the_dataset_at_once()
    {
        var manifest = Path.Combine(root, "manifest.csv");
        MakeFifo(manifest);

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(manifest));

        Assert.Equal($"{manifest}: is not a regular file", error.Message);
    }

    [Fact]
    public void A_manifest_listing_an_image_outside_the_roots_fails_the_dataset_naming_the_image()
    {
        var manifest = Write(root, "manifest.csv", $"image_id,path\ninside,inside.png\nescape,{Path.Combine(outside, "x.png")}\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(manifest, Roots));

        Assert.Contains("image 'escape'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the allowed roots", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, ImageDataset.Open(manifest).Images.Count);
    }

    [Fact]
    public void A_folder_whose_image_links_out_of_the_roots_fails_the_dataset()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "images")).FullName;
        File.Copy(Path.Combine(TestData.Samples, "brick.png"), Path.Combine(folder, "brick.png"));
        File.CreateSymbolicLink(Path.Combine(folder, "camera.png"), Path.Combine(TestData.Samples, "camera.png"));

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(folder, Roots));

        Assert.Contains("image 'camera'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_outside_the_roots_fails_to_decode_with_the_reason()
    {
        var image = Path.Combine(outside, "brick.png");
        File.Copy(Path.Combine(TestData.Samples, "brick.png"), image);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(image, Roots));

        Assert.Equal($"{image}: cannot read image: is outside the allowed roots", error.Message);
        Assert.Equal(ImageDecoder.Decode(image).Width, ImageDecoder.Decode(image, new AllowedRoots([outside])).Width);
    }

    [Fact]
    public void Weights_linked_out_of_the_roots_are_refused_where_they_are_opened_and_a_pipe_is_not_waited_on()
    {
        var weights = Path.Combine(TestData.FixtureModel, "model.safetensors");
        var link = Path.Combine(root, "model.safetensors");
        File.CreateSymbolicLink(link, weights);
        var pipe = Path.Combine(root, "pipe.safetensors");
        MakeFifo(pipe);

        Assert.Equal($"{link}: is outside the allowed roots", Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(link, Roots)).Message);
        Assert.Equal($"{pipe}: is not a regular file", Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(pipe, Roots)).Message);
        using var opened = SafeTensorsFile.Open(link, new AllowedRoots([root, TestData.FixtureModel]));
        Assert.NotEmpty(opened.Tensors);
    }

    private static string Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start mkfifo");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}

using Mining.Kernels.Datasets;

namespace Mining.Kernels.Tests.Datasets;

public sealed class JsonlManifestTests
{
    private static string Manifest(string text)
    {
        var file = Path.Combine(TestData.NewTempFolder(), "images.jsonl");
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public void A_jsonl_manifest_reads_one_image_per_line_ignoring_other_fields_and_blank_lines()
    {
        var file = Manifest("{\"image_id\": \"z\", \"path\": \"/data/z.png\", \"caption\": \"a, b\"}\n\n{\"path\": \"/data/a.png\", \"image_id\": \"a\"}\n");

        var dataset = ImageDataset.Open(file);

        Assert.Equal([new DatasetImage("z", "/data/z.png"), new DatasetImage("a", "/data/a.png")], dataset.Images);
    }

    [Fact]
    public void A_jsonl_relative_path_resolves_against_the_manifest_folder()
    {
        var file = Manifest("{\"image_id\": \"a\", \"path\": \"imgs/a.png\"}\n");

        var image = Assert.Single(ImageDataset.Open(file).Images);

        Assert.Equal(Path.Combine(Path.GetDirectoryName(file)!, "imgs", "a.png"), image.Path);
    }

    [Fact]
    public void An_empty_jsonl_is_an_error_naming_the_file()
    {
        var file = Manifest("  \n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ": ", error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void An_invalid_json_line_is_an_error_naming_the_file_and_line()
    {
        var file = Manifest("{\"image_id\": \"a\", \"path\": \"a.png\"}\n{\"image_id\": \"b\", \"path\": \n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: invalid JSON", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_line_that_is_not_an_object_is_an_error_naming_the_line()
    {
        var file = Manifest("[\"a\", \"a.png\"]\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 1: ", error.Message);
        Assert.Contains("object", error.Message);
    }

    [Fact]
    public void A_line_without_an_image_id_is_an_error_naming_the_line_and_field()
    {
        var file = Manifest("{\"image_id\": \"a\", \"path\": \"a.png\"}\n{\"path\": \"b.png\"}\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: missing image_id", error.Message);
    }

    [Fact]
    public void A_line_with_an_empty_path_is_an_error_naming_the_line_and_field()
    {
        var file = Manifest("{\"image_id\": \"a\", \"path\": \"\"}\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 1: empty path", error.Message);
    }

    [Fact]
    public void A_numeric_image_id_is_an_error_naming_the_line_and_field()
    {
        var file = Manifest("{\"image_id\": 7, \"path\": \"a.png\"}\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 1: image_id must be a string", error.Message);
    }

    [Fact]
    public void A_repeated_image_id_is_an_error_naming_both_lines()
    {
        var file = Manifest("{\"image_id\": \"a\", \"path\": \"a.png\"}\n{\"image_id\": \"a\", \"path\": \"b.png\"}\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: duplicate image_id 'a' (first on line 1)", error.Message);
    }
}

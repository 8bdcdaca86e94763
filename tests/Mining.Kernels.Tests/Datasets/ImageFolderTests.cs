using Mining.Kernels.Datasets;

namespace Mining.Kernels.Tests.Datasets;

public sealed class ImageFolderTests
{
    private static string FolderWith(params string[] names)
    {
        var folder = TestData.NewTempFolder();
        foreach (var name in names)
        {
            var file = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, []);
        }

        return folder;
    }

    [Fact]
    public void A_folder_lists_its_images_sorted_by_id_ordinal()
    {
        var folder = FolderWith("b.png", "a10.jpg", "a2.jpg", "B.webp");

        var dataset = ImageDataset.Open(folder);

        // Ordinal: upper case before lower case, "a10" before "a2".
        Assert.Equal(["B", "a10", "a2", "b"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void A_folder_lists_every_image_extension_in_any_case_and_nothing_else()
    {
        var folder = FolderWith("a.png", "b.JPG", "c.jpeg", "d.Bmp", "e.gif", "f.webp", "notes.txt", "g.tiff", "labels.csv", "noext");

        var dataset = ImageDataset.Open(folder);

        Assert.Equal(["a", "b", "c", "d", "e", "f"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void A_folder_gives_each_image_its_absolute_path()
    {
        var folder = FolderWith("cat.png");

        var image = Assert.Single(ImageDataset.Open(folder).Images);

        Assert.Equal(Path.Combine(folder, "cat.png"), image.Path);
    }

    [Fact]
    public void A_folder_does_not_descend_into_subfolders()
    {
        var folder = FolderWith("top.png", Path.Combine("sub", "inner.png"));

        var dataset = ImageDataset.Open(folder);

        Assert.Equal(["top"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void A_folder_skips_hidden_files()
    {
        var folder = FolderWith("photo.jpg", "._photo.jpg", ".png");

        var dataset = ImageDataset.Open(folder);

        Assert.Equal(["photo"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void Two_files_sharing_a_stem_make_every_id_the_file_name_with_extension()
    {
        var folder = FolderWith("cat.jpg", "cat.png", "dog.png");

        var dataset = ImageDataset.Open(folder);

        Assert.Equal(["cat.jpg", "cat.png", "dog.png"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void A_folder_without_images_is_an_error_naming_the_folder()
    {
        var folder = FolderWith("notes.txt");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(folder));

        Assert.Contains(folder, error.Message);
        Assert.Contains("no images", error.Message);
    }

    [Fact]
    public void A_missing_path_is_an_error_naming_it()
    {
        var missing = Path.Combine(TestData.NewTempFolder(), "nowhere");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(missing));

        Assert.Contains(missing, error.Message);
        Assert.Null(error.Line);
    }

    [Fact]
    public void A_file_that_is_neither_csv_nor_jsonl_is_an_error_naming_it()
    {
        var file = Path.Combine(FolderWith("list.txt"), "list.txt");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.Contains(file, error.Message);
        Assert.Contains(".txt", error.Message);
    }

    [Fact]
    public void The_source_is_the_absolute_folder_path()
    {
        var folder = FolderWith("a.png");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, folder);

        Assert.Equal(folder, ImageDataset.Open(relative).Source);
    }
}

using Mining.Kernels.Datasets;

namespace Mining.Kernels.Tests.Datasets;

public sealed class CsvManifestTests
{
    private static string Manifest(string text, string name = "images.csv")
    {
        var file = Path.Combine(TestData.NewTempFolder(), name);
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public void A_csv_manifest_lists_its_rows_in_file_order()
    {
        var file = Manifest("image_id,path\nz,/data/z.png\na,/data/a.png\n");

        var dataset = ImageDataset.Open(file);

        Assert.Equal([new DatasetImage("z", "/data/z.png"), new DatasetImage("a", "/data/a.png")], dataset.Images);
        Assert.Equal(file, dataset.Source);
    }

    [Fact]
    public void A_quoted_path_may_hold_commas_and_doubled_quotes()
    {
        var file = Manifest("image_id,path\n1,\"/data/a, b \"\"c\"\".png\"\n");

        var image = Assert.Single(ImageDataset.Open(file).Images);

        Assert.Equal("/data/a, b \"c\".png", image.Path);
    }

    [Fact]
    public void Columns_may_come_in_any_order_among_others_that_are_ignored()
    {
        var file = Manifest("caption,PATH,split,Image_Id\n\"a cat, sitting\",/data/cat.png,train,cat\n");

        var image = Assert.Single(ImageDataset.Open(file).Images);

        Assert.Equal(new DatasetImage("cat", "/data/cat.png"), image);
    }

    [Fact]
    public void Blank_lines_and_windows_line_ends_are_accepted()
    {
        var file = Manifest("\r\nimage_id,path\r\n\r\na,/x/a.png\r\n   \r\nb,/x/b.png");

        var dataset = ImageDataset.Open(file);

        Assert.Equal(["a", "b"], dataset.Images.Select(i => i.ImageId));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_manifest_folder()
    {
        var file = Manifest("image_id,path\na,images/a.png\nb,../b.jpg\n");
        var folder = Path.GetDirectoryName(file)!;

        var dataset = ImageDataset.Open(file);

        Assert.Equal(Path.Combine(folder, "images", "a.png"), dataset.Images[0].Path);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(folder)!, "b.jpg"), dataset.Images[1].Path);
    }

    [Fact]
    public void A_listed_image_that_does_not_exist_is_kept_for_the_run_to_report()
    {
        var file = Manifest("image_id,path\ngone,missing.png\n");

        var image = Assert.Single(ImageDataset.Open(file).Images);

        Assert.False(File.Exists(image.Path));
    }

    [Fact]
    public void An_empty_csv_is_an_error_naming_the_file()
    {
        var file = Manifest("\n\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ": ", error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_header_without_rows_is_an_error_naming_the_file()
    {
        var file = Manifest("image_id,path\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ": ", error.Message);
        Assert.Contains("no images", error.Message);
    }

    [Fact]
    public void A_header_without_a_path_column_is_an_error_naming_the_file_line_and_column()
    {
        var file = Manifest("\nimage_id,file\na,a.png\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: ", error.Message);
        Assert.Contains("'path'", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_header_without_an_image_id_column_is_an_error_naming_the_column()
    {
        var file = Manifest("id,path\na,a.png\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 1: ", error.Message);
        Assert.Contains("'image_id'", error.Message);
    }

    [Fact]
    public void A_row_with_an_empty_path_is_an_error_naming_the_file_line_and_field()
    {
        var file = Manifest("image_id,path\na,a.png\nb,  \n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 3: ", error.Message);
        Assert.Contains("path", error.Message);
    }

    [Fact]
    public void A_row_too_short_to_reach_the_path_column_is_an_error_naming_the_line()
    {
        var file = Manifest("image_id,path\na\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: missing path", error.Message);
    }

    [Fact]
    public void A_row_with_an_empty_image_id_is_an_error_naming_the_line_and_field()
    {
        var file = Manifest("image_id,path\n\"\",a.png\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 2: empty image_id", error.Message);
    }

    [Fact]
    public void A_repeated_image_id_is_an_error_naming_both_lines()
    {
        var file = Manifest("image_id,path\na,a.png\nb,b.png\na,other.png\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 4: ", error.Message);
        Assert.Contains("'a'", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Line_numbers_count_line_breaks_inside_quoted_fields()
    {
        var file = Manifest("image_id,caption,path\na,\"two\nlines\",a.png\nb,x,\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_naming_the_line_it_opens_on()
    {
        var file = Manifest("image_id,path\na,a.png\nb,\"b.png\n");

        var error = Assert.Throws<DatasetException>(() => ImageDataset.Open(file));

        Assert.StartsWith(file + ", line 3: ", error.Message);
        Assert.Contains("never closed", error.Message);
    }
}

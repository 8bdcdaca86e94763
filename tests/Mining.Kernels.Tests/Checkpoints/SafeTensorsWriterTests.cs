using Mining.Kernels.Checkpoints;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class SafeTensorsWriterTests
{
    [Fact]
    public void The_header_lists_each_tensor_and_pads_the_data_to_eight_bytes()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "w.safetensors");
        SafeTensorsWriter.Write(path, [("a", SafeTensorDType.F32, [2], [1f, 2f]), ("b", SafeTensorDType.F16, [1, 3], [1f, -2.5f, 65504f])]);

        var (header, data) = HandMadeSafeTensors.Split(path);
        Assert.Equal(0, (8 + header.Length) % 8);
        Assert.Equal(
            """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[1,3],"data_offsets":[8,14]}}""",
            header.TrimEnd(' '));
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B }, data);
    }

    [Fact]
    public void BFloat16_is_written_rounded_to_nearest_even()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "b.safetensors");
        // 0x3F808000 (tie, even stays 0x3F80), 0x3F818000 (tie, odd goes to 0x3F82), 65504 (0x477FE000 → 0x4780).
        float[] values = [BitConverter.UInt32BitsToSingle(0x3F808000), BitConverter.UInt32BitsToSingle(0x3F818000), 65504f];
        SafeTensorsWriter.Write(path, [("x", SafeTensorDType.BF16, [3], values)]);
        var (_, data) = HandMadeSafeTensors.Split(path);
        Assert.Equal(new byte[] { 0x80, 0x3F, 0x82, 0x3F, 0x80, 0x47 }, data);
    }

    [Fact]
    public void Written_files_read_back_with_metadata_and_values()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "r.safetensors");
        var values = new[] { 0.1f, -7.25f, 3e-3f, 1e6f, 0f, -0f };
        SafeTensorsWriter.Write(path, [("m", SafeTensorDType.F32, [2, 3], values)], new Dictionary<string, string> { ["source"] = "test" });
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("test", file.Metadata["source"]);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal([2L, 3L], file.Info("m").Shape);
        Assert.Equal(values, file.ReadFloat32("m"));
    }

    [Fact]
    public void Values_that_do_not_fill_the_shape_are_refused()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "x.safetensors");
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("m", SafeTensorDType.F32, [2, 3], new float[5])]));
        Assert.Contains("'m'", e.Message);
    }
}

using Mining.Kernels.IO;

namespace Mining.Kernels.Tests.IO;

public sealed class NpyFileTests
{
    [Fact]
    public void Reads_the_fixture_uint8_image_with_its_shape()
    {
        var array = NpyFile.Read(TestData.FixtureArray("coffee84.resized_uint8.npy"));
        Assert.Equal([84, 84, 3], array.Shape);
        Assert.Equal(NpyDType.UInt8, array.DType);
        Assert.Equal(84 * 84 * 3, array.Data.Length);
    }

    [Fact]
    public void Written_float32_arrays_read_back_equal()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "a.npy");
        var values = new[] { 1.5f, -2f, 3.25f, 0f, 1e-7f, 42f };
        NpyFile.Write(path, NpyArray.FromFloat32(values, 2, 3));
        var back = NpyFile.Read(path);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(values, back.ToFloat32());
        Assert.Equal(0, (new FileInfo(path).Length - values.Length * 4) % 64);
    }

    [Fact]
    public void Float16_values_widen_exactly()
    {
        var halves = new[] { (Half)0.5f, (Half)(-3.75f), Half.MaxValue };
        var bytes = new byte[6];
        for (var i = 0; i < 3; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), halves[i]);
        }

        var floats = new NpyArray([3], NpyDType.Float16, bytes).ToFloat32();
        Assert.Equal([0.5f, -3.75f, 65504f], floats);
    }

    [Fact]
    public void A_file_without_the_magic_is_refused_with_its_name()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "bad.npy");
        File.WriteAllText(path, "not numpy at all");
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.Contains("bad.npy", e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void A_truncated_data_section_is_refused()
    {
        var folder = TestData.NewTempFolder();
        var path = Path.Combine(folder, "a.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1f, 2f, 3f, 4f], 4));
        var bytes = File.ReadAllBytes(path);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes[..^4], "cut.npy"));
        Assert.Contains("cut.npy", e.Message);
    }
}

using Mining.Kernels.Checkpoints;
using TorchSharp;

namespace Mining.Kernels.Tests.Checkpoints;

public sealed class SafeTensorsFileTests
{
    private static string FixtureWeights => Path.Combine(TestData.FixtureModel, "model.safetensors");

    [Fact]
    public void The_fixture_file_lists_its_tensors_with_dtype_shape_and_offsets()
    {
        using var file = SafeTensorsFile.Open(FixtureWeights);
        Assert.Equal(80, file.Tensors.Count); // vision 5 + 3 layers × 16 + 2, projector 4, text 1 + 2 layers × 9 + 2
        var info = file.Info("language_model.model.layers.0.self_attn.k_proj.weight");
        Assert.Equal(SafeTensorDType.F32, info.DType);
        Assert.Equal([32L, 64L], info.Shape);
        // Offsets as printed by Python's json module from the fixture header.
        Assert.Equal(365056, info.Begin);
        Assert.Equal(373248, info.End);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Float32_values_are_the_bytes_at_the_tensor_offsets()
    {
        using var file = SafeTensorsFile.Open(FixtureWeights);
        var info = file.Info("language_model.model.norm.weight");
        var (header, data) = HandMadeSafeTensors.Split(FixtureWeights);
        Assert.Contains("language_model.model.norm.weight", header);
        var expected = new float[64];
        for (var i = 0; i < 64; i++)
        {
            expected[i] = BitConverter.ToSingle(data, (int)info.Begin + i * 4);
        }

        Assert.Equal(expected, file.ReadFloat32("language_model.model.norm.weight"));
    }

    [Fact]
    public void Half_and_bfloat16_tensors_widen_to_the_exact_floats()
    {
        // F16 1.0, -2.5, 65504 then BF16 1.0, -2.5, 65536 (hand-assembled bits, little-endian).
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x80, 0x3F, 0x20, 0xC0, 0x80, 0x47 };
        var path = HandMadeSafeTensors.Write(
            TestData.NewTempFolder(),
            "halves.safetensors",
            """{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[6,12]}}""",
            data);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([1f, -2.5f, 65504f], file.ReadFloat32("h"));
        Assert.Equal([1f, -2.5f, 65536f], file.ReadFloat32("b"));
    }

    [Fact]
    public void Read_tensor_gives_a_float32_cpu_tensor_of_the_stored_shape()
    {
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x00, 0x00 };
        var path = HandMadeSafeTensors.Write(
            TestData.NewTempFolder(), "t.safetensors", """{"w":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}""", data);
        using var file = SafeTensorsFile.Open(path);
        using var scope = torch.NewDisposeScope();
        var tensor = file.ReadTensor("w");
        Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
        Assert.Equal(DeviceType.CPU, tensor.device_type);
        Assert.Equal([2L, 2L], tensor.shape);
        Assert.Equal([1f, -2.5f, 65504f, 0f], tensor.data<float>().ToArray());
    }

    [Fact]
    public void A_file_shorter_than_eight_bytes_is_refused_with_its_name()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("shorter than the 8-byte header length", e.Message);
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_refused()
    {
        var bytes = File.ReadAllBytes(FixtureWeights)[..4000];
        var path = Path.Combine(TestData.NewTempFolder(), "truncated.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("runs past the end of the file", e.Message);
    }

    [Fact]
    public void A_truncated_data_section_is_refused_naming_the_tensor()
    {
        var bytes = File.ReadAllBytes(FixtureWeights);
        var path = Path.Combine(TestData.NewTempFolder(), "cut.safetensors");
        File.WriteAllBytes(path, bytes[..^100]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("outside the data section", e.Message);
        // The last tensor in the data section (offsets 1014016..1014208) is the one cut.
        Assert.Contains("vision_tower.vision_model.pre_layrnorm.weight", e.Message);
    }

    [Fact]
    public void A_header_that_is_not_json_is_refused()
    {
        var path = HandMadeSafeTensors.Write(TestData.NewTempFolder(), "garbage.safetensors", "{not json at all", new byte[16]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Offsets_that_disagree_with_shape_and_dtype_are_refused()
    {
        var path = HandMadeSafeTensors.Write(
            TestData.NewTempFolder(), "bad.safetensors", """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}""", new byte[24]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'w'", e.Message);
        Assert.Contains("needs 24", e.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_refused()
    {
        var path = HandMadeSafeTensors.Write(
            TestData.NewTempFolder(), "c.safetensors", """{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("unknown dtype 'C64'", e.Message);
    }

    [Fact]
    public void Integer_tensors_are_listed_but_not_read_as_weights()
    {
        var path = HandMadeSafeTensors.Write(
            TestData.NewTempFolder(), "ids.safetensors", """{"position_ids":{"dtype":"I64","shape":[1,2],"data_offsets":[0,16]}}""", new byte[16]);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(SafeTensorDType.I64, file.Info("position_ids").DType);
        var e = Assert.Throws<CheckpointException>(() => file.ReadFloat32("position_ids"));
        Assert.Contains(path, e.Message);
        Assert.Contains("dtype I64", e.Message);
    }

    [Theory]
    [InlineData(SafeTensorDType.BF16, 64)]
    [InlineData(SafeTensorDType.F16, 6)]
    [InlineData(SafeTensorDType.F32, 1 << 20)]
    public void Copy_to_fills_a_tensor_piece_by_piece_with_the_stored_values(SafeTensorDType dtype, int chunkBytes)
    {
        // 7 × 143 small integers: exact in every 16-bit format, so each destination must hold them exactly; 64-byte
        // pieces of BF16 are 32 elements (31 whole pieces and one of 9), 6-byte pieces of F16 are 3.
        var values = Enumerable.Range(0, 7 * 143).Select(i => (float)((i * 37 % 251) - 125)).ToArray();
        var path = Path.Combine(TestData.NewTempFolder(), "w.safetensors");
        SafeTensorsWriter.Write(path, [("w", dtype, [7L, 143L], values)]);
        using var file = SafeTensorsFile.Open(path);
        using var scope = torch.NewDisposeScope();
        foreach (var target in new[] { torch.ScalarType.Float32, torch.ScalarType.BFloat16 })
        {
            var destination = torch.full([7, 143], float.NaN, dtype: target);
            file.CopyTo("w", destination, chunkBytes);
            Assert.Equal(values, destination.to(torch.ScalarType.Float32).data<float>().ToArray());
        }
    }

    [Fact]
    public void Copy_to_a_narrower_dtype_rounds_each_value_to_nearest_even()
    {
        // Float32 values between bfloat16 neighbours; the expected bits come from the bit-level rounding rule.
        var values = new[] { 1.00390625f, 1.01171875f, -3.14159274f, 65504.5f, 1e-20f, 0.1f };
        var path = Path.Combine(TestData.NewTempFolder(), "r.safetensors");
        SafeTensorsWriter.Write(path, [("r", SafeTensorDType.F32, [6L], values)]);
        using var file = SafeTensorsFile.Open(path);
        using var scope = torch.NewDisposeScope();
        var destination = torch.zeros(6, dtype: torch.ScalarType.BFloat16);
        file.CopyTo("r", destination, chunkBytes: 8);
        var stored = destination.to(torch.ScalarType.Float32).data<float>().ToArray();
        Assert.Equal(values.Select(HalfPrecision.ToBFloat16Bits), stored.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)));
    }

    [Fact]
    public void Copy_to_a_tensor_of_another_size_is_refused_naming_the_tensor()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "s.safetensors");
        SafeTensorsWriter.Write(path, [("s", SafeTensorDType.F32, [2L, 3L], new float[6])]);
        using var file = SafeTensorsFile.Open(path);
        using var destination = torch.zeros(5);
        var e = Assert.Throws<ArgumentException>(() => file.CopyTo("s", destination));
        Assert.Contains("'s' [2, 3]", e.Message);
        Assert.Contains(path, e.Message);
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mining.Kernels.IO;

/// <summary>Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; little-endian, C order).</summary>
/// <remarks>Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html</remarks>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a whole .npy file; a malformed file raises <see cref="InvalidDataException"/> naming it.</summary>
    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read .npy file: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses .npy bytes; <paramref name="name"/> appears in error messages.</summary>
    public static NpyArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a .npy file (missing the \\x93NUMPY magic)");
        }

        int major = bytes[6];
        int headerLength;
        int headerStart;
        switch (major)
        {
            case 1:
                headerLength = BitConverter.ToUInt16(bytes, 8);
                headerStart = 10;
                break;
            case 2:
            case 3:
                if (bytes.Length < 12)
                {
                    throw new InvalidDataException($"{name}: truncated .npy header");
                }

                headerLength = checked((int)BitConverter.ToUInt32(bytes, 8));
                headerStart = 12;
                break;
            default:
                throw new InvalidDataException($"{name}: unsupported .npy format version {major}.{bytes[7]}");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{name}: truncated .npy header");
        }

        var header = Encoding.UTF8.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
        {
            throw new InvalidDataException($"{name}: malformed .npy header '{header.Trim()}'");
        }

        if (order.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{name}: Fortran-order arrays are not supported; save with C order");
        }

        var dtype = descr.Groups[1].Value switch
        {
            "|u1" or "<u1" => NpyDType.UInt8,
            "<f2" => NpyDType.Float16,
            "<f4" => NpyDType.Float32,
            "<f8" => NpyDType.Float64,
            "<i4" => NpyDType.Int32,
            "<i8" => NpyDType.Int64,
            var other => throw new InvalidDataException($"{name}: unsupported .npy dtype '{other}' (supported: uint8, float16, float32, float64, int32, int64, little-endian)"),
        };

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var dataStart = headerStart + headerLength;
        var dataLength = count * NpyArray.ElementSize(dtype);
        if (bytes.Length - dataStart != dataLength)
        {
            throw new InvalidDataException($"{name}: .npy data holds {bytes.Length - dataStart} bytes but shape [{string.Join(", ", dims)}] of {dtype} needs {dataLength}");
        }

        return new NpyArray(dims, dtype, bytes.AsSpan(dataStart).ToArray());
    }

    /// <summary>Writes <paramref name="array"/> as <see cref="Write"/> does, through a temporary file moved into place when complete.</summary>
    public static void WriteAtomically(string path, NpyArray array) =>
        OutputFile.WriteAtomically(path, stream => Write(stream, array));

    /// <summary>Writes <paramref name="array"/> as a version 1.0 .npy file.</summary>
    public static void Write(string path, NpyArray array)
    {
        using var stream = File.Create(path);
        Write(stream, array);
    }

    /// <summary>Writes <paramref name="array"/> in the version 1.0 .npy format to <paramref name="stream"/>, leaving it open.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var descr = array.DType switch
        {
            NpyDType.UInt8 => "|u1",
            NpyDType.Float16 => "<f2",
            NpyDType.Float32 => "<f4",
            NpyDType.Float64 => "<f8",
            NpyDType.Int32 => "<i4",
            NpyDType.Int64 => "<i8",
            _ => throw new ArgumentOutOfRangeException(nameof(array)),
        };
        var shape = array.Shape.Length == 1
            ? $"({array.Shape[0]},)"
            : "(" + string.Join(", ", array.Shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // The header (magic + version + length + dict + padding + \n) is padded to a multiple of 64.
        var unpadded = 10 + dict.Length + 1;
        var padding = (64 - (unpadded % 64)) % 64;
        var header = dict + new string(' ', padding) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(array.Data);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

using System.IO.Compression;
using System.Text;

namespace Mining.Kernels.Tests.Imaging;

/// <summary>Writes minimal PNG files byte by byte (PNG spec, ISO/IEC 15948), so decoder tests control the colour type exactly.</summary>
internal static class TestPng
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>An 8-bit palette PNG: <paramref name="indices"/> row-major into <paramref name="palette"/> (RGB triples).</summary>
    public static byte[] Palette(int width, int height, byte[] palette, byte[] indices) =>
        Build(width, height, colorType: 3, samplesPerPixel: 1, indices, ("PLTE", palette));

    /// <summary>An 8-bit RGBA PNG (non-premultiplied, as PNG stores it).</summary>
    public static byte[] Rgba(int width, int height, byte[] rgba) =>
        Build(width, height, colorType: 6, samplesPerPixel: 4, rgba);

    private static byte[] Build(int width, int height, byte colorType, int samplesPerPixel, byte[] samples, params (string Type, byte[] Data)[] extra)
    {
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8;
        header[9] = colorType;

        // Every scanline starts with filter type 0 (none).
        var raw = new MemoryStream();
        var stride = width * samplesPerPixel;
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            raw.Write(samples, y * stride, stride);
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw.ToArray());
        }

        var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        foreach (var (type, data) in extra)
        {
            WriteChunk(png, type, data);
        }

        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        stream.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(typed));
        stream.Write(crc);
    }

    // CRC-32 as the PNG spec's sample code computes it (reflected polynomial 0xEDB88320).
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}

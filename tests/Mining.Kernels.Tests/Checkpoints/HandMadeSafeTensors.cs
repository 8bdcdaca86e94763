using System.Text;

namespace Mining.Kernels.Tests.Checkpoints;

/// <summary>Builds safetensors files byte by byte from a header string, independently of the code under test.</summary>
internal static class HandMadeSafeTensors
{
    public static string Write(string folder, string fileName, string headerJson, byte[] data)
    {
        var path = Path.Combine(folder, fileName);
        File.WriteAllBytes(path, Bytes(headerJson, data));
        return path;
    }

    public static byte[] Bytes(string headerJson, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(header);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    /// <summary>The header length, header and data of an existing file, read with plain arithmetic.</summary>
    public static (string Header, byte[] Data) Split(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        return (Encoding.UTF8.GetString(bytes, 8, length), bytes[(8 + length)..]);
    }
}

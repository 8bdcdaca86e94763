using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mining.Kernels.IO;

/// <summary>What a path or an open handle names on disk: its type and its identity (device and inode).</summary>
/// <remarks>
/// .NET reports a named pipe, a socket or a device as a plain file (only directories and links are told apart), and
/// opening a named pipe for reading blocks until a writer comes; so the type is read with Linux's <c>statx</c>, whose
/// buffer layout is the same on every architecture. Elsewhere the type falls back to what .NET can tell and the
/// identity is unknown (zero), which <see cref="SameAs"/> treats as matching.
/// </remarks>
internal readonly record struct FileNode(FileNodeKind Kind, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int BufferSize = 256;

    // Offsets in struct statx (include/uapi/linux/stat.h).
    private const int ModeOffset = 28;
    private const int InodeOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int LinkType = 0xA000;

    private static bool statxMissing = !OperatingSystem.IsLinux();

    /// <summary>Whether both name the same file; an unknown identity matches anything.</summary>
    public bool SameAs(FileNode other) =>
        (Inode == 0 && Device == 0) || (other.Inode == 0 && other.Device == 0) || (Inode == other.Inode && Device == other.Device);

    /// <summary>The node <paramref name="path"/> names, or null when nothing is there; a link is followed unless <paramref name="followLinks"/> is false.</summary>
    public static FileNode? Of(string path, bool followLinks)
    {
        if (!statxMissing)
        {
            var buffer = new byte[BufferSize];
            try
            {
                if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxIno, buffer) == 0)
                {
                    return Decode(buffer);
                }

                return null;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                statxMissing = true;
            }
        }

        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
        {
            return new FileNode(FileNodeKind.Link, 0, 0);
        }

        return Directory.Exists(path) ? new FileNode(FileNodeKind.Directory, 0, 0)
            : File.Exists(path) ? new FileNode(FileNodeKind.Regular, 0, 0)
            : null;
    }

    /// <summary>The node an open handle names (unknown identity where statx is missing).</summary>
    public static FileNode Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!statxMissing)
        {
            var buffer = new byte[BufferSize];
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType | StatxIno, buffer) == 0)
                {
                    return Decode(buffer);
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                statxMissing = true;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        return new FileNode(FileNodeKind.Regular, 0, 0);
    }

    private static FileNode Decode(byte[] buffer)
    {
        var mode = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        var kind = mode switch
        {
            RegularType => FileNodeKind.Regular,
            DirectoryType => FileNodeKind.Directory,
            LinkType => FileNodeKind.Link,
            _ => FileNodeKind.Other,
        };
        var device = ((ulong)BitConverter.ToUInt32(buffer, DevMajorOffset) << 32) | BitConverter.ToUInt32(buffer, DevMinorOffset);
        return new FileNode(kind, device, BitConverter.ToUInt64(buffer, InodeOffset));
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}

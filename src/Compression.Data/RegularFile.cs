using System.Runtime.InteropServices;

namespace Compression.Data;

/// <summary>
/// Refuses data paths that are not regular files before anything opens them: reading a character
/// device (/dev/zero, /dev/urandom) never ends, and opening a FIFO blocks until a writer comes. .NET
/// reports such paths as ordinary files of length 0, so on Linux this asks the kernel with
/// <c>statx</c>, whose result layout is the same on every architecture (hand-written: no package
/// that restores here exposes the file type). A symbolic link is followed: a link to a regular file is one.
/// </summary>
public static partial class RegularFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const string Folder = "a folder";

    /// <summary>
    /// What <paramref name="path"/> is when it is not a regular file, without opening it: "a folder",
    /// "a character device", "a FIFO", ...; null when it is a regular file (or a link to one), or does not exist.
    /// </summary>
    /// <param name="path">The path, absolute or relative to the current folder.</param>
    public static string? NotRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return Folder;
        }
        if (!OperatingSystem.IsLinux() || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return null; // Missing or unreadable: the read that follows reports it with its own message.
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return type == Regular ? null : Describe(type);
    }

    /// <summary>Throws <see cref="DataFormatException"/> unless <paramref name="path"/> is a regular file (or a link to one), or does not exist.</summary>
    internal static void Require(string path)
    {
        string? kind = NotRegular(path);
        if (kind is not null)
        {
            throw new DataFormatException(path, kind == Folder
                ? $"{path} is a folder: expected a data file"
                : $"{path} is not a regular file ({kind}): expected a data file whose size is known, not a device, pipe or socket");
        }
    }

    private static string Describe(int type) => type switch
    {
        0x4000 => Folder,
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => $"file type 0x{type:X4}",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}

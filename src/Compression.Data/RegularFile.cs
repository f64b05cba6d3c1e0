using System.Runtime.InteropServices;

namespace Compression.Data;

/// <summary>
/// Refuses data paths that are not regular files before anything opens them: reading a character
/// device (/dev/zero, /dev/urandom) never ends, and opening a FIFO blocks until a writer comes. .NET
/// reports such paths as ordinary files of length 0, so on Linux this asks the kernel with
/// <c>statx</c>, whose result layout is the same on every architecture (hand-written: no package
/// that restores here exposes the file type).
/// </summary>
internal static partial class RegularFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>Throws <see cref="DataFormatException"/> unless <paramref name="path"/> is a regular file (or a link to one).</summary>
    public static void Require(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, $"{path} is a folder: expected a data file");
        }
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return; // Missing or unreadable: the read that follows reports it with its own message.
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        if (type != Regular)
        {
            throw new DataFormatException(path, $"{path} is not a regular file ({Describe(type)}): expected a data file whose size is known, not a device, pipe or socket");
        }
    }

    private static string Describe(int type) => type switch
    {
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => $"file type 0x{type:X4}",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}

using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Compression.Data;

namespace Compression.Plugins.Text;

/// <summary>
/// Decodes a text data file as strict UTF-8 (a byte-order mark is skipped): an invalid byte sequence is
/// a <see cref="DataFormatException"/> at its line and byte, never a replacement character that would
/// silently become [UNK] tokens.
/// </summary>
internal static class Utf8Text
{
    /// <summary>The largest file read: its text as UTF-16 must fit one string.</summary>
    public const long MaxBytes = 1L << 29;

    /// <summary>The file's text.</summary>
    public static string Read(string path)
    {
        if (RegularFile.NotRegular(path) is string kind)
        {
            throw new DataFormatException(path, $"{path} is {kind}: expected a text data file");
        }
        long length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new DataFormatException(path, $"{System.IO.Path.GetFileName(path)}: {length:N0} bytes: expected at most {MaxBytes:N0} (the text is held in memory whole)");
        }
        return Decode(path, File.ReadAllBytes(path));
    }

    /// <summary>The text of <paramref name="bytes"/>, read from <paramref name="path"/>.</summary>
    public static string Decode(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            OperationStatus status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                ReadOnlySpan<byte> before = bytes[..read];
                int line = before.Count((byte)'\n') + 1;
                int column = read - (before.LastIndexOf((byte)'\n') + 1) + 1;
                throw new DataFormatException(path,
                    $"{System.IO.Path.GetFileName(path)}:{line}: expected UTF-8 text, found an invalid byte sequence (0x{bytes[read]:X2}) at byte {column} of the line",
                    line, null);
            }
            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}

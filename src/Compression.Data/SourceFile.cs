using System.IO.Compression;

namespace Compression.Data;

/// <summary>
/// Opens a data file, undoing gzip when the content (not the name) says it is gzip. Only regular
/// files are opened (<see cref="RegularFile"/>); the readers bound what they read from the stream
/// (IDX by its header, CSV by its line length and <see cref="MaxBytes"/>).
/// </summary>
internal static class SourceFile
{
    /// <summary>The most bytes a data file may have, on disk or decompressed: what one .NET array holds.</summary>
    public static readonly long MaxBytes = Array.MaxLength;

    /// <summary>
    /// Opens the file for reading: a <see cref="FileStream"/>, or a <see cref="GZipStream"/> over it
    /// when the file starts with the gzip magic bytes 1F 8B. Reads from a gzip stream may throw
    /// <see cref="InvalidDataException"/>: turn it into the data error with <see cref="NotGzip"/>.
    /// </summary>
    /// <param name="path">The data file.</param>
    /// <param name="gzip">Whether the stream decompresses.</param>
    /// <param name="length">The file's length on disk.</param>
    /// <exception cref="DataFormatException">The path is not a regular file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Stream Open(string path, out bool gzip, out long length)
    {
        RegularFile.Require(path);
        FileStream file;
        try
        {
            file = File.OpenRead(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{Path.GetFileName(path)}: data file not found at {path}.", path, exception);
        }
        try
        {
            length = file.Length;
            Span<byte> magic = stackalloc byte[2];
            gzip = IsGzip(magic[..file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false)]);
            file.Position = 0;
            return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The data error for a file that starts like gzip but does not decompress.</summary>
    public static DataFormatException NotGzip(string path, InvalidDataException exception) =>
        new(path, $"{Path.GetFileName(path)}: starts like gzip (1F 8B) but is not valid gzip data: {exception.Message}", innerException: exception);

    /// <summary>
    /// Counts the bytes left in <paramref name="stream"/>, reading at most <paramref name="limit"/> + 1
    /// through a small buffer (a gzip bomb is never inflated past the limit).
    /// </summary>
    /// <returns>The count, or <paramref name="limit"/> + 1 when there are more than <paramref name="limit"/>.</returns>
    public static long CountRemaining(Stream stream, long limit)
    {
        var buffer = new byte[8192];
        long count = 0;
        int read;
        while (count <= limit && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - count))) > 0)
        {
            count += read;
        }
        return count;
    }

    /// <summary>True if the bytes start with the gzip magic 1F 8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

using System.IO.Compression;

namespace Compression.Data;

/// <summary>
/// Opens and reads a data file, undoing gzip when the content (not the name) says it is gzip. Only
/// regular files are opened (<see cref="RegularFile"/>), and no read allocates more than the file
/// holds on disk or, for gzip, more than <see cref="MaxBytes"/> or what the caller's format declares.
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

    /// <summary>Reads the whole file, decompressed if it starts with the gzip magic bytes 1F 8B; at most <see cref="MaxBytes"/> either way.</summary>
    public static byte[] ReadDecompressed(string path)
    {
        using Stream stream = Open(path, out bool gzip, out long length);
        if (length > MaxBytes)
        {
            throw new DataFormatException(path, $"{Path.GetFileName(path)}: {length:N0} bytes, more than the {MaxBytes:N0} a data file can have here");
        }
        if (!gzip)
        {
            var bytes = new byte[length];
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return read == bytes.Length ? bytes : bytes[..read];
        }
        try
        {
            using var output = new MemoryStream((int)Math.Min(length * 4, 64L << 20));
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > MaxBytes)
                {
                    throw new DataFormatException(path, $"{Path.GetFileName(path)}: decompresses to more than {MaxBytes:N0} bytes, more than a data file can hold here");
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException exception)
        {
            throw NotGzip(path, exception);
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

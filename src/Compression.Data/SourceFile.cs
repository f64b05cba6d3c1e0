using System.IO.Compression;

namespace Compression.Data;

/// <summary>Reads a data file's bytes, undoing gzip when the content (not the name) says it is gzip.</summary>
internal static class SourceFile
{
    /// <summary>The most bytes a data file may have, on disk or decompressed: what one .NET array holds.</summary>
    public static readonly long MaxBytes = Array.MaxLength;

    /// <summary>Reads the whole file, decompressed if it starts with the gzip magic bytes 1F 8B.</summary>
    public static byte[] ReadDecompressed(string path)
    {
        byte[] raw = ReadRaw(path);
        if (!IsGzip(raw))
        {
            return raw;
        }
        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
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
            throw new DataFormatException(path, $"{Path.GetFileName(path)}: starts like gzip (1F 8B) but is not valid gzip data: {exception.Message}", innerException: exception);
        }
    }

    /// <summary>Reads the file's bytes as they are on disk; only a regular file of bounded size.</summary>
    public static byte[] ReadRaw(string path)
    {
        try
        {
            RegularFile.Require(path);
            long length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                throw new DataFormatException(path, $"{Path.GetFileName(path)}: {length:N0} bytes, more than the {MaxBytes:N0} a data file can have here");
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{Path.GetFileName(path)}: data file not found at {path}.", path, exception);
        }
    }

    /// <summary>True if the bytes start with the gzip magic 1F 8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

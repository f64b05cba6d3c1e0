namespace Compression.Data.Csv;

/// <summary>
/// Reads a CSV file's bytes (gzip undone), checking each line's length as the bytes arrive: a line
/// longer than <see cref="MaxLineBytes"/> is refused there, before any text is decoded and before
/// more is read, so a file that is one endless line, binary data named .csv or a gzip bomb without
/// line breaks never becomes a huge buffer or string. In all a file may have
/// <see cref="SourceFile.MaxBytes"/> bytes, on disk and decompressed.
/// </summary>
internal static class CsvSource
{
    /// <summary>The longest line a data file may have: far beyond any real row (a hundred thousand numeric columns).</summary>
    public const int MaxLineBytes = 1 << 20;

    private const int Chunk = 1 << 16;

    /// <summary>The file's bytes, in a buffer that may be longer: <c>Length</c> of them are the file's.</summary>
    public static (byte[] Bytes, int Length) Read(string path)
    {
        string name = Path.GetFileName(path);
        using Stream stream = SourceFile.Open(path, out bool gzip, out long length);
        if (length > SourceFile.MaxBytes)
        {
            throw new DataFormatException(path, $"{name}: {length:N0} bytes, more than the {SourceFile.MaxBytes:N0} a data file can have here");
        }
        var buffer = new byte[gzip ? Math.Min(length * 4, 64L << 20) : length];
        int filled = 0;
        int line = 1;
        int lineStart = 0;
        try
        {
            while (true)
            {
                int read;
                if (filled == buffer.Length)
                {
                    // Full: grow only if there is more, so a raw file is read into one buffer of its size.
                    int next = stream.ReadByte();
                    if (next < 0)
                    {
                        return (buffer, filled);
                    }
                    if (buffer.Length >= SourceFile.MaxBytes)
                    {
                        throw new DataFormatException(path, $"{name}: more than {SourceFile.MaxBytes:N0} bytes{(gzip ? " once decompressed" : "")}, more than a data file can have here");
                    }
                    Array.Resize(ref buffer, (int)Math.Min(SourceFile.MaxBytes, Math.Max(2L * buffer.Length, Chunk)));
                    buffer[filled] = (byte)next;
                    read = 1 + stream.Read(buffer, filled + 1, Math.Min(Chunk, buffer.Length - filled - 1));
                }
                else
                {
                    read = stream.Read(buffer, filled, Math.Min(Chunk, buffer.Length - filled));
                    if (read == 0)
                    {
                        return (buffer, filled);
                    }
                }
                int at = filled;
                filled += read;
                int newline;
                while ((newline = buffer.AsSpan(at, filled - at).IndexOf((byte)'\n')) >= 0)
                {
                    CheckLine(path, line, at + newline - lineStart);
                    line++;
                    lineStart = at + newline + 1;
                    at = lineStart;
                }
                CheckLine(path, line, filled - lineStart);
            }
        }
        catch (InvalidDataException exception)
        {
            throw SourceFile.NotGzip(path, exception);
        }
    }

    private static void CheckLine(string path, int line, int length)
    {
        if (length > MaxLineBytes)
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)}:{line}: a line longer than the {MaxLineBytes:N0} bytes a CSV row may have (is this a CSV file?)", line);
        }
    }
}

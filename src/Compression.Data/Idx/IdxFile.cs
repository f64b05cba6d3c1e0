namespace Compression.Data.Idx;

/// <summary>
/// Reads an IDX file's header first and then exactly the data it declares, so memory follows the
/// header and the file, never a hostile stream: a raw file whose length disagrees with its header is
/// refused before its data is read, and a gzip file is inflated no further than the declared data
/// plus <see cref="Slack"/> bytes (a gzip bomb or a stream longer than declared is an error, not an
/// unbounded allocation). Buffers grow as data arrives, so a header that declares far more than a
/// short gzip file holds allocates no more than twice what is there.
/// </summary>
internal static class IdxFile
{
    /// <summary>How far past the declared data a gzip stream is read to say how much longer it is.</summary>
    public const long Slack = 64 << 10;

    private const int FirstChunk = 1 << 20;

    /// <summary>Reads the header (checked with <see cref="IdxHeader.Parse"/>) and the data; the bytes start with the header.</summary>
    public static (IdxHeader Header, byte[] Bytes) Read(string path, string expected, Func<IdxDataType, int, bool> accepts, bool wantsLabels)
    {
        using Stream stream = SourceFile.Open(path, out bool gzip, out long length);
        try
        {
            var prefix = new byte[IdxHeader.MaxHeaderBytes];
            int prefixLength = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
            IdxHeader header = IdxHeader.Parse(path, prefix.AsSpan(0, prefixLength), expected, accepts, wantsLabels);
            if (!gzip)
            {
                header.CheckDataLength(path, length - header.DataOffset, wantsLabels);
            }
            long total = header.DataOffset + header.DataLength;
            (byte[] bytes, int filled) = ReadGrowing(stream, prefix.AsSpan(0, prefixLength), (int)total);
            if (filled < total)
            {
                header.CheckDataLength(path, filled - header.DataOffset, wantsLabels, decompressed: gzip);
            }
            long extra = Math.Max(0, prefixLength - total) + SourceFile.CountRemaining(stream, Slack);
            if (extra > 0)
            {
                header.CheckDataLength(path, header.DataLength + Math.Min(extra, Slack), wantsLabels, atLeast: extra > Slack, decompressed: gzip);
            }
            return (header, bytes);
        }
        catch (InvalidDataException exception)
        {
            throw SourceFile.NotGzip(path, exception);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="total"/> bytes (the first ones already in <paramref name="start"/>),
    /// doubling the buffer as data arrives; fewer than <paramref name="total"/> are filled only when
    /// the stream ended first.
    /// </summary>
    private static (byte[] Buffer, int Filled) ReadGrowing(Stream stream, ReadOnlySpan<byte> start, int total)
    {
        int filled = Math.Min(start.Length, total);
        var buffer = new byte[Math.Min(total, Math.Max(filled, FirstChunk))];
        start[..filled].CopyTo(buffer);
        while (filled < total)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
            }
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                return (buffer, filled);
            }
            filled += read;
        }
        return (buffer, filled);
    }
}

using System.Runtime.InteropServices;
using Compression.Data.Caching;

namespace Compression.Plugins.Images;

/// <summary>
/// Decoded splits on disk, one <see cref="ChecksummedCacheFile"/> per key (the SHA-256 of the split's
/// files, their bytes, the labels and the settings), whose payload is <c>count, sample size, labels,
/// features</c>. A damaged entry, or one whose sizes do not match, is rebuilt, never served.
/// </summary>
internal sealed class DecodedImageCache(string folder)
{
    private static readonly byte[] s_magic = "CMPIMG1\n"u8.ToArray();

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(folder, $"{key}.images");

    /// <summary>The cached features and labels of <paramref name="key"/>, or null (a damaged file is deleted).</summary>
    public (float[] Features, int[] Labels)? TryRead(string key, int count, int sampleSize)
    {
        byte[]? payload = ChecksummedCacheFile.TryRead(PathOf(key), s_magic, key, p =>
            p.Length == 8 + (4L * count) + (4L * count * sampleSize)
            && BitConverter.ToInt32(p.Span) == count && BitConverter.ToInt32(p.Span[4..]) == sampleSize);
        if (payload is null)
        {
            return null;
        }
        int[] labels = MemoryMarshal.Cast<byte, int>(payload.AsSpan(8, 4 * count)).ToArray();
        float[] features = MemoryMarshal.Cast<byte, float>(payload.AsSpan(8 + (4 * count))).ToArray();
        return (features, labels);
    }

    /// <summary>Writes the split under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    public void Write(string key, float[] features, int[] labels, int sampleSize) =>
        ChecksummedCacheFile.Write(PathOf(key), s_magic, key, put =>
        {
            put(BitConverter.GetBytes(labels.Length));
            put(BitConverter.GetBytes(sampleSize));
            put(MemoryMarshal.AsBytes(labels.AsSpan()));
            put(MemoryMarshal.AsBytes(features.AsSpan()));
        });
}

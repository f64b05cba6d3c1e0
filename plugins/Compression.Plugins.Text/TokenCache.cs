using System.Runtime.InteropServices;
using Compression.Data.Caching;

namespace Compression.Plugins.Text;

/// <summary>
/// Tokenised files on disk, one <see cref="ChecksummedCacheFile"/> per key (<see cref="TextSplitReader"/>:
/// the SHA-256 of the text file's bytes, the settings and the vocabulary's SHA-256), whose payload is
/// <c>count, sample size, truncated count, truncated rows, samples</c>. A damaged entry, or one whose
/// sizes do not match, is rebuilt, never served.
/// </summary>
internal sealed class TokenCache(string folder)
{
    private static readonly byte[] s_magic = "CMPTOK1\n"u8.ToArray();

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(folder, $"{key}.tokens");

    /// <summary>The cached samples and truncated rows of <paramref name="key"/>, or null (a damaged file is deleted).</summary>
    public (float[] Features, int[] Truncated)? TryRead(string key, int count, int sampleSize)
    {
        byte[]? payload = ChecksummedCacheFile.TryRead(PathOf(key), s_magic, key, p =>
        {
            if (p.Length < 12 || BitConverter.ToInt32(p.Span) != count || BitConverter.ToInt32(p.Span[4..]) != sampleSize)
            {
                return false;
            }
            int truncatedCount = BitConverter.ToInt32(p.Span[8..]);
            return truncatedCount >= 0 && truncatedCount <= count && p.Length == 12 + (4L * truncatedCount) + (4L * count * sampleSize);
        });
        if (payload is null)
        {
            return null;
        }
        int truncatedCount = BitConverter.ToInt32(payload, 8);
        int[] truncated = MemoryMarshal.Cast<byte, int>(payload.AsSpan(12, 4 * truncatedCount)).ToArray();
        float[] features = MemoryMarshal.Cast<byte, float>(payload.AsSpan(12 + (4 * truncatedCount))).ToArray();
        return (features, truncated);
    }

    /// <summary>Writes the samples under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    public void Write(string key, float[] features, int[] truncated, int sampleSize) =>
        ChecksummedCacheFile.Write(PathOf(key), s_magic, key, put =>
        {
            put(BitConverter.GetBytes(features.Length / sampleSize));
            put(BitConverter.GetBytes(sampleSize));
            put(BitConverter.GetBytes(truncated.Length));
            put(MemoryMarshal.AsBytes(truncated.AsSpan()));
            put(MemoryMarshal.AsBytes(features.AsSpan()));
        });
}

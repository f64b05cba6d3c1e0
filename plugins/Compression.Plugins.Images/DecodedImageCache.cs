using System.Runtime.InteropServices;
using System.Text;
using Compression.Data.Caching;
using Compression.Data.Formats;

namespace Compression.Plugins.Images;

/// <summary>
/// Decoded splits on disk, one <see cref="ChecksummedCacheFile"/> per key (the SHA-256 of the split's
/// files, their bytes, the labels and the settings), whose payload is <c>count, sample size, labels,
/// features</c>. A split is read back whole (<see cref="TryRead"/>) or served from its file a batch at
/// a time (<see cref="TryOpen"/>); a damaged entry, or one whose sizes or labels do not match, is
/// rebuilt, never served. The same file serves both ways.
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
            p.Length == PayloadLength(count, sampleSize)
            && BitConverter.ToInt32(p.Span) == count && BitConverter.ToInt32(p.Span[4..]) == sampleSize);
        if (payload is null)
        {
            return null;
        }
        int[] labels = MemoryMarshal.Cast<byte, int>(payload.AsSpan(8, 4 * count)).ToArray();
        float[] features = MemoryMarshal.Cast<byte, float>(payload.AsSpan(8 + (4 * count))).ToArray();
        return (features, labels);
    }

    /// <summary>
    /// The features of <paramref name="key"/> served from its file, when the entry is whole (checked by
    /// reading it through once) and holds exactly <paramref name="labels"/>; else null (the file is deleted).
    /// </summary>
    public FileRowStore? TryOpen(string key, int[] labels, int sampleSize)
    {
        var opened = ChecksummedCacheFile.TryOpen(PathOf(key), s_magic, key, (file, offset, length) =>
        {
            if (length != PayloadLength(labels.Length, sampleSize))
            {
                return false;
            }
            var stored = new int[2 + labels.Length];
            Span<byte> bytes = MemoryMarshal.AsBytes(stored.AsSpan());
            return RandomAccess.Read(file, bytes, offset) == bytes.Length
                && stored[0] == labels.Length && stored[1] == sampleSize && stored.AsSpan(2).SequenceEqual(labels);
        });
        return opened is var (handle, payloadOffset, _)
            ? FileRowStore.Of(handle, payloadOffset + 8 + (4L * labels.Length), labels.Length, sampleSize)
            : null;
    }

    /// <summary>Writes the split under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    public void Write(string key, float[] features, int[] labels, int sampleSize) =>
        WriteFile(PathOf(key), key, labels, sampleSize, put => put(MemoryMarshal.AsBytes(features.AsSpan())));

    /// <summary>
    /// Writes an entry whose features <paramref name="putFeatures"/> puts piece by piece (a split decoded a
    /// chunk at a time, never whole in memory), atomically, at <paramref name="path"/>.
    /// </summary>
    public static void WriteFile(string path, string key, int[] labels, int sampleSize, Action<ChecksummedCacheFile.PayloadSink> putFeatures) =>
        ChecksummedCacheFile.Write(path, s_magic, key, put =>
        {
            put(BitConverter.GetBytes(labels.Length));
            put(BitConverter.GetBytes(sampleSize));
            put(MemoryMarshal.AsBytes(labels.AsSpan()));
            putFeatures(put);
        });

    /// <summary>Where the features of an entry written by <see cref="WriteFile"/> start in its file.</summary>
    public static long FeaturesOffset(string key, int count) => s_magic.Length + Encoding.ASCII.GetByteCount(key) + 8 + (4L * count);

    /// <summary>Bytes of a payload: count, sample size, the labels, the features.</summary>
    public static long PayloadLength(int count, int sampleSize) => 8 + (4L * count) + (4L * count * sampleSize);
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Compression.Plugins.Text;

/// <summary>
/// Tokenised files on disk, one file per key (<see cref="TextSplitReader"/>: the SHA-256 of the text
/// file's bytes, the settings and the vocabulary's SHA-256): <c>magic, key, count, sample size,
/// truncated count, truncated rows, samples, SHA-256 of all before it</c>. Written to a temporary name
/// and renamed; a file whose checksum, key or sizes do not match is deleted and reported as a miss, so
/// a damaged entry is rebuilt, never served.
/// </summary>
internal sealed class TokenCache(string folder)
{
    private static readonly byte[] s_magic = "CMPTOK1\n"u8.ToArray();
    private const int KeyLength = 64;

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(folder, $"{key}.tokens");

    /// <summary>The cached samples and truncated rows of <paramref name="key"/>, or null (a damaged file is deleted).</summary>
    public (float[] Features, int[] Truncated)? TryRead(string key, int count, int sampleSize)
    {
        string path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            int header = s_magic.Length + KeyLength + 12;
            if (bytes.Length >= header + 32
                && bytes.AsSpan(0, s_magic.Length).SequenceEqual(s_magic)
                && Encoding.ASCII.GetString(bytes, s_magic.Length, KeyLength) == key
                && SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            {
                int at = s_magic.Length + KeyLength;
                int truncatedCount = BitConverter.ToInt32(bytes, at + 8);
                if (BitConverter.ToInt32(bytes, at) == count && BitConverter.ToInt32(bytes, at + 4) == sampleSize
                    && truncatedCount >= 0 && truncatedCount <= count
                    && bytes.LongLength == header + (4L * truncatedCount) + (4L * count * sampleSize) + 32)
                {
                    at = header;
                    int[] truncated = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, 4 * truncatedCount)).ToArray();
                    float[] features = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(at + (4 * truncatedCount), 4 * count * sampleSize)).ToArray();
                    return (features, truncated);
                }
            }
        }
        catch (IOException)
        {
            // Unreadable: rebuilt like a damaged one.
        }
        File.Delete(path);
        return null;
    }

    /// <summary>Writes the samples under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    public void Write(string key, float[] features, int[] truncated, int sampleSize)
    {
        Directory.CreateDirectory(folder);
        string path = PathOf(key);
        string temporary = $"{path}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                void Put(ReadOnlySpan<byte> span)
                {
                    file.Write(span);
                    hash.AppendData(span);
                }
                Put(s_magic);
                Put(Encoding.ASCII.GetBytes(key));
                Put(BitConverter.GetBytes(features.Length / sampleSize));
                Put(BitConverter.GetBytes(sampleSize));
                Put(BitConverter.GetBytes(truncated.Length));
                Put(MemoryMarshal.AsBytes(truncated.AsSpan()));
                Put(MemoryMarshal.AsBytes(features.AsSpan()));
                file.Write(hash.GetHashAndReset());
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

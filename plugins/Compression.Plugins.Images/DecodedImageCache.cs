using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Compression.Plugins.Images;

/// <summary>
/// Decoded splits on disk, one file per key (the SHA-256 of the split's files, their bytes, the
/// labels and the settings): <c>magic, key, count, sample size, labels, features, SHA-256 of all
/// before it</c>. Written to a temporary name and renamed; a file whose checksum, key or sizes do
/// not match is deleted and reported as a miss, so a damaged cache is rebuilt, never served.
/// </summary>
internal sealed class DecodedImageCache(string folder)
{
    private static readonly byte[] s_magic = "CMPIMG1\n"u8.ToArray();

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(folder, $"{key}.images");

    /// <summary>The cached features and labels of <paramref name="key"/>, or null (a damaged file is deleted).</summary>
    public (float[] Features, int[] Labels)? TryRead(string key, int count, int sampleSize)
    {
        string path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            long expected = s_magic.Length + 64 + 8 + (4L * count) + (4L * count * sampleSize) + 32;
            if (bytes.LongLength == expected
                && bytes.AsSpan(0, s_magic.Length).SequenceEqual(s_magic)
                && Encoding.ASCII.GetString(bytes, s_magic.Length, 64) == key
                && SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            {
                int at = s_magic.Length + 64;
                if (BitConverter.ToInt32(bytes, at) == count && BitConverter.ToInt32(bytes, at + 4) == sampleSize)
                {
                    at += 8;
                    int[] labels = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(at, 4 * count)).ToArray();
                    float[] features = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(at + (4 * count), 4 * count * sampleSize)).ToArray();
                    return (features, labels);
                }
            }
        }
        catch (IOException)
        {
            // Unreadable: rebuilt below like a damaged one.
        }
        File.Delete(path);
        return null;
    }

    /// <summary>Writes the split under <paramref name="key"/> atomically (temporary file, then rename).</summary>
    public void Write(string key, float[] features, int[] labels, int sampleSize)
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
                Put(BitConverter.GetBytes(labels.Length));
                Put(BitConverter.GetBytes(sampleSize));
                Put(MemoryMarshal.AsBytes(labels.AsSpan()));
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

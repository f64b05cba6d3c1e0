using System.Security.Cryptography;
using System.Text;

namespace Compression.Data.Caching;

/// <summary>
/// One cache entry on disk: <c>magic, key, payload, SHA-256 of all before it</c>. Written to a
/// temporary name, flushed and renamed, so a reader never sees half a file; read back only when the
/// magic, the key and the checksum all match, and otherwise deleted and reported as a miss, so a
/// damaged or foreign file is rebuilt, never served. The payload's layout is the caller's (a data
/// format's decoded or tokenised samples).
/// </summary>
public static class ChecksummedCacheFile
{
    private const int HashLength = 32;

    /// <summary>Receives one piece of a payload being written.</summary>
    public delegate void PayloadSink(ReadOnlySpan<byte> bytes);

    /// <summary>Writes the payload <paramref name="writePayload"/> puts, piece by piece (no copy of large arrays), under <paramref name="key"/>.</summary>
    /// <param name="path">The entry's file; its folder is created.</param>
    /// <param name="magic">Bytes that name the layout and its version.</param>
    /// <param name="key">The entry's key (ASCII), stored so a file renamed to another key is not served.</param>
    /// <param name="writePayload">Puts the payload's pieces, in order.</param>
    public static void Write(string path, ReadOnlySpan<byte> magic, string key, Action<PayloadSink> writePayload)
    {
        ArgumentNullException.ThrowIfNull(writePayload);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
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
                Put(magic);
                Put(Encoding.ASCII.GetBytes(key));
                writePayload(Put);
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

    /// <summary>
    /// The payload of <paramref name="key"/>'s entry, or null when there is none or it is damaged (then
    /// the file is deleted). <paramref name="accept"/> checks the payload's own layout (sizes); a payload
    /// it refuses counts as damaged.
    /// </summary>
    public static byte[]? TryRead(string path, ReadOnlySpan<byte> magic, string key, Func<ReadOnlyMemory<byte>, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            byte[] keyBytes = Encoding.ASCII.GetBytes(key);
            int start = magic.Length + keyBytes.Length;
            if (bytes.Length >= start + HashLength
                && bytes.AsSpan(0, magic.Length).SequenceEqual(magic)
                && bytes.AsSpan(magic.Length, keyBytes.Length).SequenceEqual(keyBytes)
                && SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            {
                byte[] payload = bytes[start..^HashLength];
                if (accept(payload))
                {
                    return payload;
                }
            }
        }
        catch (IOException)
        {
            // Unreadable: a miss, rebuilt like a damaged entry.
        }
        File.Delete(path);
        return null;
    }
}

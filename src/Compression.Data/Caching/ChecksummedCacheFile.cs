using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

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

    /// <summary>
    /// Opens <paramref name="key"/>'s entry for reading in place (a payload too large to hold in memory):
    /// the magic, the key and the checksum are checked by reading the file through once in small pieces,
    /// then <paramref name="accept"/> checks the payload's layout through the open file (given the
    /// payload's offset and length). Null when there is no entry or it is damaged (then the file is
    /// deleted). The caller owns the returned file, which stays what was checked even if the entry is
    /// replaced on disk (where open files can be renamed over).
    /// </summary>
    public static (SafeFileHandle File, long PayloadOffset, long PayloadLength)? TryOpen(
        string path, ReadOnlySpan<byte> magic, string key, Func<SafeFileHandle, long, long, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        if (!File.Exists(path))
        {
            return null;
        }
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
            byte[] header = [.. magic, .. Encoding.ASCII.GetBytes(key)];
            long length = RandomAccess.GetLength(file);
            long payloadLength = length - header.Length - HashLength;
            if (payloadLength >= 0 && HasChecksum(file, header, length) && accept(file, header.Length, payloadLength))
            {
                return (file, header.Length, payloadLength);
            }
        }
        catch (IOException)
        {
            // Unreadable: a miss, rebuilt like a damaged entry.
        }
        file?.Dispose();
        File.Delete(path);
        return null;
    }

    /// <summary>True when the file starts with <paramref name="header"/> and ends with the SHA-256 of all before it.</summary>
    private static bool HasChecksum(SafeFileHandle file, byte[] header, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long hashed = length - HashLength;
        for (long position = 0; position < hashed;)
        {
            int read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, hashed - position)), position);
            if (read == 0)
            {
                return false;
            }
            if (position < header.Length && !buffer.AsSpan(0, (int)Math.Min(read, header.Length - position)).SequenceEqual(header.AsSpan((int)position, (int)Math.Min(read, header.Length - position))))
            {
                return false;
            }
            hash.AppendData(buffer, 0, read);
            position += read;
        }
        Span<byte> stored = stackalloc byte[HashLength];
        return RandomAccess.Read(file, stored, hashed) == HashLength && hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
    }
}

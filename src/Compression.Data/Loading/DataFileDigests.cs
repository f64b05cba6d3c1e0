using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Compression.Data.Loading;

/// <summary>
/// The SHA-256 of each data file, computed once per run: the loader records them while it hashes
/// the data set, and the baseline's test-set identity and the provenance record read them here
/// instead of reading the files again. <see cref="FilesHashed"/> counts the files hashed.
/// </summary>
public sealed class DataFileDigests
{
    private readonly ConcurrentDictionary<string, string> _byPath = new(StringComparer.Ordinal);
    private int _filesHashed;

    /// <summary>How many files were read and hashed (each at most once).</summary>
    public int FilesHashed => _filesHashed;

    /// <summary>Hex SHA-256 of the file at <paramref name="path"/> (absolute): recorded, or read and hashed now.</summary>
    public string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _byPath.GetOrAdd(Path.GetFullPath(path), full =>
        {
            RegularFile.Require(full);
            using FileStream stream = File.OpenRead(full);
            Interlocked.Increment(ref _filesHashed);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    /// <summary>Records a digest computed elsewhere (by the loader, from the bytes it hashed anyway).</summary>
    internal void Record(string path, string sha256)
    {
        if (_byPath.TryAdd(Path.GetFullPath(path), sha256))
        {
            Interlocked.Increment(ref _filesHashed);
        }
    }
}

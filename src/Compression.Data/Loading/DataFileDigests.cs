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
    private readonly ConcurrentDictionary<string, string> _folders = new(StringComparer.Ordinal);
    private int _filesHashed;

    /// <summary>How many files were read and hashed (each at most once).</summary>
    public int FilesHashed => _filesHashed;

    /// <summary>
    /// Hex SHA-256 of the file at <paramref name="path"/> (absolute): recorded, or read and hashed now.
    /// For a folder, the digest <see cref="OfFolder"/> recorded for it this run.
    /// </summary>
    /// <exception cref="InvalidOperationException">A folder whose digest was not recorded (its format knows its files: <see cref="Compression.Data.Formats.DataFormat.Digest"/>).</exception>
    public string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_folders.TryGetValue(Path.GetFullPath(path), out string? folder))
        {
            return folder;
        }
        if (Directory.Exists(path))
        {
            throw new InvalidOperationException($"{path} is a data folder whose digest was not recorded: its format lists its files (DataFormat.Digest)");
        }
        return _byPath.GetOrAdd(Path.GetFullPath(path), full =>
        {
            RegularFile.Require(full);
            using FileStream stream = File.OpenRead(full);
            Interlocked.Increment(ref _filesHashed);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }

    /// <summary>
    /// Hex SHA-256 of a data folder: over its files' relative paths ('/' between folders) and SHA-256s,
    /// one line <c>path TAB sha256 LF</c> each, in the order given (ordinal, as
    /// <see cref="Compression.Data.Formats.DataFormat.FolderFiles"/> lists them). Each file's digest
    /// comes from <see cref="Of"/> (read at most once); the folder's is kept for the run.
    /// </summary>
    /// <param name="folder">The folder (absolute path).</param>
    /// <param name="relativeFiles">Its data files, relative to it.</param>
    public string OfFolder(string folder, IReadOnlyList<string> relativeFiles)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(relativeFiles);
        return _folders.GetOrAdd(Path.GetFullPath(folder), full =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (string file in relativeFiles)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{file}\t{Of(Path.Combine(full, file))}\n"));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
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

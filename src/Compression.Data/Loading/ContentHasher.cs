using System.Security.Cryptography;
using System.Text;

namespace Compression.Data.Loading;

/// <summary>
/// SHA-256 over the source files' raw bytes (each framed by a role tag and its length) and the
/// settings that shape the splits. From the same read it records each file's own SHA-256 in
/// <see cref="DataFileDigests"/>, so no one reads the file again to hash it.
/// </summary>
internal sealed class ContentHasher(DataFileDigests? digests) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void AddFile(string role, string path, CancellationToken cancellationToken)
    {
        RegularFile.Require(path);
        using FileStream stream = File.OpenRead(path);
        using var file = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AddText($"file:{role}:{stream.Length};");
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _hash.AppendData(buffer, 0, read);
            file.AppendData(buffer, 0, read);
        }
        digests?.Record(path, Convert.ToHexStringLower(file.GetHashAndReset()));
    }

    /// <summary>
    /// A folder's files, each by its relative path and SHA-256 (taken from the digests when the format
    /// hashed it already while reading, so a file is read once), and the folder's own digest recorded.
    /// Adding, removing, renaming (also into another class folder) or changing a file changes the hash.
    /// </summary>
    public void AddFolder(string role, string folder, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        DataFileDigests recorded = digests ?? new DataFileDigests();
        AddText($"folder:{role}:{files.Count};");
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AddText($"{file.Length}:{file}:{recorded.Of(Path.Combine(folder, file))};");
        }
        recorded.OfFolder(folder, files);
    }

    public void AddText(string text) => _hash.AppendData(Encoding.UTF8.GetBytes(text));

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}

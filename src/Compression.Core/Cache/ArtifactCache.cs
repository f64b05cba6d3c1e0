using System.Text.Json;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Cache;

/// <summary>
/// A content-addressed store of stage outputs under <c>&lt;work&gt;/cache/&lt;key&gt;/</c>. A stage
/// runs in a fresh temporary folder; only on success is the folder hashed, its manifest written,
/// and the folder renamed into place, so an entry is complete or absent. Every read re-hashes the
/// files, so a corrupt or edited entry is deleted and rebuilt rather than served.
/// </summary>
public sealed class ArtifactCache
{
    private const string ManifestName = "manifest.json";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public ArtifactCache(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>Returns the valid entry for <paramref name="key"/>, deleting it if it is corrupt.</summary>
    public CacheEntry? TryGet(string key)
    {
        string directory = Path.Combine(Root, key);
        string manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            DeleteQuietly(directory);
            return null;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<CacheManifest>(File.ReadAllText(manifestPath), s_json);
            if (manifest is null || manifest.Key != key || !FilesIntact(directory, manifest))
            {
                DeleteQuietly(directory);
                return null;
            }
            return new CacheEntry(directory, manifest);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(directory);
            return null;
        }
    }

    /// <summary>A new empty folder for a stage to write into; pass it to <see cref="Commit"/> or <see cref="Discard"/>.</summary>
    public string CreateScratch()
    {
        string scratch = Path.Combine(Root, ".tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    /// <summary>Seals a scratch folder as the entry for <paramref name="key"/>.</summary>
    public CacheEntry Commit(
        string key, string scratch, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Metric> metrics, string? reportMarkdown,
        IReadOnlyList<Compression.Abstractions.Stages.StageWarning>? warnings = null)
    {
        var manifest = new CacheManifest
        {
            Key = key,
            CreatedUtc = DateTimeOffset.UtcNow,
            Metrics = metrics.ToList(),
            ReportMarkdown = reportMarkdown,
            Warnings = warnings?.ToList() ?? [],
        };
        foreach (string file in Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            manifest.Files.Add(new CachedFile(Relative(scratch, file), ContentHash.OfFile(file), new FileInfo(file).Length));
        }
        foreach (Artifact artifact in artifacts)
        {
            string full = Path.GetFullPath(artifact.Path);
            if (!full.StartsWith(Path.GetFullPath(scratch) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"artifact {full} is outside the stage's output folder {scratch}");
            }
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new InvalidOperationException($"the stage reported artifact {full} but did not write it");
            }
            manifest.Artifacts.Add(new CachedArtifact(artifact.Kind.Name, Relative(scratch, full), ContentHash.OfPath(full)));
        }

        string manifestTemp = Path.Combine(scratch, ManifestName + ".tmp");
        File.WriteAllText(manifestTemp, JsonSerializer.Serialize(manifest, s_json));
        File.Move(manifestTemp, Path.Combine(scratch, ManifestName));

        string destination = Path.Combine(Root, key);
        DeleteQuietly(destination);
        Directory.Move(scratch, destination);
        return new CacheEntry(destination, manifest);
    }

    /// <summary>Removes a scratch folder after a failure or cancellation.</summary>
    public void Discard(string scratch) => DeleteQuietly(scratch);

    /// <summary>Removes scratch folders left by a process that was killed.</summary>
    public void SweepScratch() => DeleteQuietly(Path.Combine(Root, ".tmp"));

    private static bool FilesIntact(string directory, CacheManifest manifest)
    {
        foreach (CachedFile file in manifest.Files)
        {
            string path = Path.Combine(directory, file.Path);
            if (!File.Exists(path) || new FileInfo(path).Length != file.Bytes || ContentHash.OfFile(path) != file.Sha256)
            {
                return false;
            }
        }
        return true;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another process may hold it; the next run retries.
        }
    }
}

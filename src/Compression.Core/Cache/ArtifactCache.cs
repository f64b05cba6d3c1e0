using System.Text.Json;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Cache;

/// <summary>
/// A content-addressed store of stage outputs under <c>&lt;work&gt;/cache/&lt;key&gt;/</c>. A stage
/// runs in a fresh temporary folder; only on success is the folder hashed, its manifest written,
/// and the folder renamed into place, so an entry is complete or absent. Every read re-hashes the
/// files, so a corrupt or edited entry is deleted and rebuilt rather than served. Safe for several
/// processes on one work folder: a commit never replaces a valid entry another process made (same key,
/// same inputs, so the same content), and scratch folders carry their process id, so a start-up sweep
/// removes only those of processes that are gone.
/// </summary>
public sealed class ArtifactCache
{
    private const string ManifestName = "manifest.json";
    // A stage may report a metric that came out NaN or infinite: kept as "NaN"/"Infinity" so the entry
    // is written and read back as it was (the gate and the report treat such a value as unmeasured).
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

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
            if (manifest is null || manifest.Key != key || !WellFormed(manifest) || !FilesIntact(directory, manifest))
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
        string scratch = Path.Combine(Root, ".tmp", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    /// <summary>Seals a scratch folder as the entry for <paramref name="key"/>.</summary>
    public CacheEntry Commit(
        string key, string scratch, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Metric> metrics, string? reportMarkdown,
        IReadOnlyList<Compression.Abstractions.Stages.StageWarning>? warnings = null, string? summaryNote = null)
    {
        var manifest = new CacheManifest
        {
            Key = key,
            CreatedUtc = DateTimeOffset.UtcNow,
            Metrics = metrics.ToList(),
            ReportMarkdown = reportMarkdown,
            Warnings = warnings?.ToList() ?? [],
            SummaryNote = summaryNote,
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
        for (int attempt = 0; ; attempt++)
        {
            // Another process may have committed the same key meanwhile: same inputs, same content, so
            // keep its entry (it may be reading it) and drop ours.
            if (TryGet(key) is CacheEntry existing)
            {
                DeleteQuietly(scratch);
                return existing;
            }
            try
            {
                Directory.Move(scratch, destination);
                return new CacheEntry(destination, manifest);
            }
            catch (IOException) when (attempt < 3 && Directory.Exists(destination))
            {
                // Lost the race to the rename (or a corrupt leftover is being deleted): look again.
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Removes a scratch folder after a failure or cancellation.</summary>
    public void Discard(string scratch) => DeleteQuietly(scratch);

    /// <summary>Removes scratch folders left by processes that were killed, never those of a live one.</summary>
    public void SweepScratch()
    {
        string folder = Path.Combine(Root, ".tmp");
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (string scratch in Directory.EnumerateDirectories(folder))
        {
            string name = Path.GetFileName(scratch);
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out int processId) || !IsAlive(processId))
            {
                DeleteQuietly(scratch);
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// A manifest is only trusted when every list is present and every path it names stays inside its
    /// entry (relative, no "..", no root): a hand-edited or corrupt one is treated as absent.
    /// </summary>
    private static bool WellFormed(CacheManifest manifest) =>
        manifest.Files is not null && manifest.Artifacts is not null && manifest.Metrics is not null && manifest.Warnings is not null
        && manifest.Files.All(f => f is not null && InsideEntry(f.Path) && f.Sha256 is not null)
        && manifest.Artifacts.All(a => a is not null && a.Kind is not null && InsideEntry(a.Path) && a.Sha256 is not null)
        && manifest.Metrics.All(m => m is not null && m.Name is not null)
        && manifest.Warnings.All(w => w is not null && w.Code is not null && w.Message is not null);

    private static bool InsideEntry(string? path)
    {
        if (string.IsNullOrEmpty(path) || Path.IsPathRooted(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }
        string full = Path.GetFullPath(Path.Combine("/entry", path));
        return full.StartsWith("/entry/", StringComparison.Ordinal);
    }

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

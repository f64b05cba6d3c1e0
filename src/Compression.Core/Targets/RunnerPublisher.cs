using Compression.Abstractions.Artifacts;
using Compression.Core.Cache;

namespace Compression.Core.Targets;

/// <summary>
/// Publishes the benchmark runner self-contained for a runtime identifier (`dotnet publish -r RID
/// --self-contained`) from the sources the host carries (its <c>runner</c> folder: the runner's C#
/// files and a stand-alone project naming the ONNX Runtime version the host was built with), into a
/// cache keyed by the sources' content and the identifier. An entry is published into a scratch
/// folder and moved into place, with a manifest of its files' hashes written last and checked on
/// every use, so a half-written or altered entry is published again, never served.
/// </summary>
public sealed class RunnerPublisher(string sourceFolder, string cacheFolder)
{
    /// <summary>The environment variable naming the runner cache (default: $XDG_CACHE_HOME/compression/runners or ~/.cache/compression/runners).</summary>
    public const string CacheEnvironmentVariable = "COMPRESSION_RUNNER_CACHE";

    /// <summary>The runner's executable name in a published folder.</summary>
    public const string ExecutableName = "compression-runner";

    private const string ManifestName = "runner.manifest";

    /// <summary>
    /// Entries kept per runtime identifier: the one in use and the one before it (two builds on one machine
    /// may use two versions of Compression); older ones (a runner is ~130 MB) are removed.
    /// </summary>
    private const int EntriesKeptPerRid = 2;
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The host's own runner sources and the default cache.</summary>
    public static RunnerPublisher Default() => new(Path.Combine(AppContext.BaseDirectory, "runner"), DefaultCacheFolder());

    public static string DefaultCacheFolder()
    {
        if (Environment.GetEnvironmentVariable(CacheEnvironmentVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "compression", "runners");
    }

    /// <summary>The content key of the runner for a runtime identifier: its sources, its project and the identifier.</summary>
    public string Key(string rid)
    {
        if (!Directory.Exists(sourceFolder))
        {
            throw new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRunnerPublishFailed,
                $"the runner's sources are not next to the host ({sourceFolder}): reinstall or rebuild Compression");
        }
        return new ContentHash.KeyBuilder().Add("runner/1").Add(rid).Add(ContentHash.OfPath(sourceFolder)).Build()[..32];
    }

    /// <summary>The folder of the runner published for <paramref name="rid"/>, publishing it first when the cache lacks a sound copy.</summary>
    public async Task<string> PublishAsync(string rid, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string key = Key(rid);
        string folder = Path.Combine(cacheFolder, $"{rid}-{key}");
        if (IsSound(folder))
        {
            MarkUsedAndEvict(folder, rid);
            return folder;
        }
        Directory.CreateDirectory(cacheFolder);
        string scratch = Path.Combine(cacheFolder, $".scratch-{Guid.NewGuid():N}");
        try
        {
            progress.Report($"targets: publishing the benchmark runner for {rid} (once; cached in {cacheFolder})");
            string project = Directory.EnumerateFiles(sourceFolder, "*.csproj").Single();
            // A copy of the sources, so that obj/ and bin/ never land in the host's folder.
            string build = Path.Combine(scratch, "src");
            Directory.CreateDirectory(build);
            foreach (string file in Directory.EnumerateFiles(sourceFolder))
            {
                File.Copy(file, Path.Combine(build, Path.GetFileName(file)));
            }
            string output = Path.Combine(scratch, "out");
            var outcome = await BoundedProcess.RunAsync(DotnetPath(),
                ["publish", Path.Combine(build, Path.GetFileName(project)), "-c", "Release", "-r", rid, "--self-contained", "true", "-o", output, "-nologo", "-p:UseAppHost=true"],
                s_publishTimeout, cancellationToken).ConfigureAwait(false);
            if (outcome.ExitCode != 0)
            {
                string log = string.Join('\n', (outcome.Stdout + outcome.Stderr).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5));
                throw new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRunnerPublishFailed,
                    outcome.TimedOut
                        ? $"publishing the runner for {rid} took longer than {s_publishTimeout.TotalMinutes:0} minutes"
                        : $"publishing the runner for {rid} failed (dotnet publish exit {outcome.ExitCode}): {log.Trim()}; the .NET SDK must be able to restore the {rid} runtime pack and Microsoft.ML.OnnxRuntime");
            }
            WriteManifest(output);
            try
            {
                Directory.Move(output, folder);
            }
            catch (IOException) when (IsSound(folder))
            {
                // Another build published the same runner meanwhile: theirs is as good.
            }
            if (IsSound(folder))
            {
                MarkUsedAndEvict(folder, rid);
                return folder;
            }
            throw new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRunnerPublishFailed, $"the published runner in {folder} does not match its manifest; delete the folder and retry");
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    /// <summary>
    /// Records the entry's use (its manifest's modification time; the content is unchanged) and removes
    /// the same identifier's entries beyond the <see cref="EntriesKeptPerRid"/> most recently used.
    /// </summary>
    private void MarkUsedAndEvict(string folder, string rid)
    {
        try
        {
            File.SetLastWriteTimeUtc(Path.Combine(folder, ManifestName), DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return; // a read-only cache: nothing to evict by
        }
        var stale = Directory.EnumerateDirectories(cacheFolder, $"{rid}-*")
            .Where(entry => Path.GetFileName(entry).Length == rid.Length + 33) // "<rid>-<32 hex>" only
            .OrderByDescending(entry => File.Exists(Path.Combine(entry, ManifestName)) ? File.GetLastWriteTimeUtc(Path.Combine(entry, ManifestName)) : DateTime.MinValue)
            .Skip(EntriesKeptPerRid);
        foreach (string entry in stale)
        {
            TryDelete(entry);
        }
    }

    /// <summary>The folder exists, has its manifest, and every file in it has the recorded hash.</summary>
    private static bool IsSound(string folder)
    {
        string manifest = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifest))
        {
            if (Directory.Exists(folder))
            {
                TryDelete(folder);
            }
            return false;
        }
        foreach (string line in File.ReadAllLines(manifest))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string file = Path.Combine(folder, line[(space + 1)..]);
            if (space <= 0 || !File.Exists(file) || ContentHash.OfFile(file) != line[..space])
            {
                TryDelete(folder);
                return false;
            }
        }
        return true;
    }

    private static void WriteManifest(string folder)
    {
        var lines = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{ContentHash.OfFile(Path.Combine(folder, f))} {f}");
        AtomicFile.WriteAllText(Path.Combine(folder, ManifestName), string.Join('\n', lines) + "\n");
    }

    /// <summary>The dotnet that runs us (under `dotnet compress.dll`), the one MSBuild names, or the one on PATH.</summary>
    private static string DotnetPath()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return process;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A scratch folder left behind is swept by nothing worse than disk use; the entry itself is never trusted without its manifest.
        }
    }
}

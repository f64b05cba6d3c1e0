using Compression.Core.Diagnostics;

namespace Compression.Core.Running;

/// <summary>
/// The work folder (cache, results, log) made ready before a run: a path that is a file, cannot be
/// created or cannot be written is the user's environment, not our bug, and says so (CMP2010).
/// </summary>
public static class WorkFolder
{
    /// <summary>Creates the folder if needed and proves it writable; returns its full path.</summary>
    public static string Prepare(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Unusable(path.Replace("\0", "\\0", StringComparison.Ordinal), "the path contains a NUL character");
        }
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw Unusable(full, "it is a file, not a folder");
        }
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(full, DiskFull.Is(ex) ? "the disk is full" : $"it cannot be written ({ex.Message})");
        }
        return full;
    }

    private static CompressionException Unusable(string path, string why) =>
        new(ErrorCodes.WorkFolderUnusable, $"the work folder {path} cannot be used: {why}; choose another with --work-dir (or CompressionWorkDirectory)", null);
}

using Compression.Core.Diagnostics;

namespace Compression.Core.Running;

/// <summary>
/// The <c>--copy-model-to</c> path (MSBuild: the app's model.onnx), checked before the run starts, so
/// a path that can never take the model fails at once with exit 2 rather than after the whole run.
/// </summary>
public static class CopyTarget
{
    /// <summary>Returns the full path, or throws CMP1014 when it is a folder or lies below a regular file.</summary>
    public static string Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Unusable(path.Replace("\0", "\\0", StringComparison.Ordinal), "expected the path of a file to write, e.g. out/model.onnx");
        }
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(full))
        {
            throw Unusable(full, $"it is a folder; give the file to write, e.g. {Path.Combine(Path.TrimEndingDirectorySeparator(full), "model.onnx")}");
        }
        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw Unusable(full, $"{parent} is a file, so nothing can be created below it");
            }
            if (Directory.Exists(parent))
            {
                break;
            }
        }
        return full;
    }

    private static CompressionException Unusable(string path, string why) =>
        new(ErrorCodes.CopyTargetUnusable, $"--copy-model-to {path} cannot be written: {why}", null);
}

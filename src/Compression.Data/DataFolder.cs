namespace Compression.Data;

/// <summary>The files below a data folder, as every folder-based format lists them by default.</summary>
internal static class DataFolder
{
    /// <summary>
    /// Every file below <paramref name="folder"/>, relative to it with '/' between folders, in ordinal
    /// order, leaving out hidden entries (a name starting with '.', and everything in a hidden folder).
    /// Symbolic links are followed as the file system does.
    /// </summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        var files = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", options))
        {
            string relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.Split('/').Any(part => part.StartsWith('.')))
            {
                files.Add(relative);
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}

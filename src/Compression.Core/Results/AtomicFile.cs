namespace Compression.Core.Results;

/// <summary>Writes files so a reader never sees half of one: a temp file in the same folder, then a rename.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, contents);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> through a temp file beside it, then a rename.</summary>
    public static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        string temp = $"{destination}.{Environment.ProcessId}.tmp";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, destination, overwrite: true);
    }
}

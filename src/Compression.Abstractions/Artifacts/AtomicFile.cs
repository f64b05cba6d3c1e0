namespace Compression.Abstractions.Artifacts;

/// <summary>
/// Writes files so that no reader, and no later run, ever sees half of one: the content goes to a
/// temporary file beside the destination (same folder, so the rename cannot cross file systems),
/// which is then renamed over it; on failure or cancellation the temporary file is removed. Stages
/// writing into their output folder need not use it (the host keeps an unfinished stage's folder out
/// of the cache), but anything written where a reader may already look should.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> by letting <paramref name="writeTemporary"/> write a temporary file, then renaming it.</summary>
    /// <param name="path">The destination; its folder is created if missing.</param>
    /// <param name="writeTemporary">Writes the whole content to the path it is given.</param>
    public static void Write(string path, Action<string> writeTemporary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeTemporary);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Unique per process and call: two writers of one file never share a temporary file.
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes <paramref name="contents"/> as UTF-8 text.</summary>
    public static void WriteAllText(string path, string contents) => Write(path, temporary => File.WriteAllText(temporary, contents));

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static void Copy(string source, string destination) => Write(destination, temporary => File.Copy(source, temporary));
}

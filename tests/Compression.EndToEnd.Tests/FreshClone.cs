namespace Compression.EndToEnd.Tests;

/// <summary>
/// A copy of the repository as a fresh clone has it: the files git tracks or would track (with their
/// current content, so uncommitted changes are tested too), and no bin/, obj/ or other build output.
/// Tests of a new user's path start here, so a step that only works after an earlier build fails.
/// </summary>
public static class FreshClone
{
    public static string CopyTo(string destination)
    {
        var files = ProcessRunner.Run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], RepoPaths.Root, TimeSpan.FromMinutes(1));
        if (files.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files failed in {RepoPaths.Root}: {files}");
        }
        foreach (string relative in files.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Trim('\r', '\n')).Where(f => f.Length > 0))
        {
            string source = Path.Combine(RepoPaths.Root, relative);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree but not yet committed
            }
            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
        }
        return destination;
    }
}

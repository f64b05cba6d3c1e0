using System.Text.RegularExpressions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The README's plugin-author path, command by command as the README's "Plugins" section gives it
/// (read from there, so the two cannot drift), from a copy of the repo as a fresh clone has it and
/// with a home folder of its own (the NuGet source it adds and the templates it installs stay there).
/// Only the package version differs: a fresh one, so no copy in the shared NuGet cache is stale.
/// </summary>
public sealed partial class PluginAuthorPathTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    // Stable (dotnet new install takes the newest stable version), new on every run, and each part
    // below 65536 (it is also the assemblies' version): days since 2026, then 2-second ticks of the day.
    private readonly string _version = NewVersion(DateTime.UtcNow);

    private static string NewVersion(DateTime now) =>
        $"0.{(int)(now - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalDays}.{(int)now.TimeOfDay.TotalSeconds / 2}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            LocalFeed.Forget(_version, [.. RepoPaths.SdkProjects, "Compression.Build", "Compression.Templates", "AcmeDistill"]);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The lines of the README's sh block that starts with build/local-feed.sh.</summary>
    public static IReadOnlyList<string> ReadmeCommands()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var block = ShBlock().Matches(readme).Select(m => m.Groups[1].Value).Single(b => b.TrimStart().StartsWith("build/local-feed.sh", StringComparison.Ordinal));
        return block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
    }

    [Fact]
    public void The_README_plugin_author_path_works_command_by_command_from_a_fresh_clone()
    {
        var commands = ReadmeCommands();
        Assert.Equal("build/local-feed.sh ~/feed", commands[0].Split('#')[0].Trim());
        Assert.Contains(commands, c => c.StartsWith("dotnet test", StringComparison.Ordinal));

        string clone = FreshClone.CopyTo(Path.Combine(_root, "clone"));
        string home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            // The machine's package cache (TorchSharp, libtorch), which fresh versions cannot shadow.
            ["NUGET_PACKAGES"] = LocalFeed.NuGetPackages,
            ["COMPRESSION_PACKAGE_VERSION"] = _version,
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };

        // One shell, so `cd` carries over as it does for a user; -e stops at the first failing command.
        string script = "set -euo pipefail\n" + string.Join('\n', commands.Select(c => $"echo '>>> {c.Replace("'", "", StringComparison.Ordinal)}'\n{c}"));
        var outcome = ProcessRunner.Run("bash", ["-c", script], clone, TimeSpan.FromMinutes(45), environment);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+\d+,", outcome.Output);
        string feed = Path.Combine(home, "feed");
        foreach (string package in new[] { "Compression.Abstractions", "Compression.Build", "Compression.Templates" })
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{_version}.nupkg")), $"{package} {_version} is in the local feed:\n{outcome.Output}");
        }
        Assert.NotEmpty(Directory.GetFiles(feed, "AcmeDistill.*.nupkg"));
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}

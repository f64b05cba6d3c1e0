namespace Compression.EndToEnd.Tests;

/// <summary>
/// A folder feed for packages a test packs from this repo, each test with a version of its own so that
/// nothing stale comes from the NuGet cache, and that version removed from the cache afterwards.
/// </summary>
public static class LocalFeed
{
    /// <summary>The machine's NuGet package cache.</summary>
    public static string NuGetPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A nuget.config in <paramref name="folder"/> adding <paramref name="feed"/> next to the machine's own sources (no &lt;clear/&gt;), as a user would.</summary>
    public static void Configure(string folder, string feed)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="compression-e2e" value="{feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>Removes <paramref name="version"/> of each package from the NuGet cache (and a package folder left empty).</summary>
    public static void Forget(string version, IEnumerable<string> packageIds)
    {
        foreach (string id in packageIds)
        {
            string cached = Path.Combine(NuGetPackages, id.ToLowerInvariant(), version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
            string package = Path.GetDirectoryName(cached)!;
            if (Directory.Exists(package) && !Directory.EnumerateFileSystemEntries(package).Any())
            {
                Directory.Delete(package);
            }
        }
    }
}

namespace Compression.Data.Tests;

/// <summary>Finds the repo root (the folder holding Compression.sln) from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string MnistData => Path.Combine(Root, "samples", "MnistClassifier", "data");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Compression.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Compression.sln above {AppContext.BaseDirectory}.");
    }
}

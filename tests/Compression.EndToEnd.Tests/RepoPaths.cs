namespace Compression.EndToEnd.Tests;

/// <summary>Paths in the repository under test.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Sample => Path.Combine(Root, "samples", "MnistClassifier");

    public static string SampleData => Path.Combine(Sample, "data");

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>The plugin SDK's projects, as build/CompressionSdk.props lists them (the one list).</summary>
    public static IReadOnlyList<string> SdkProjects { get; } =
        System.Xml.Linq.XDocument.Load(Path.Combine(Root, "build", "CompressionSdk.props")).Descendants("CompressionSdkProjects").Single().Value
            .Split(';', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The host built by this solution (the test project references it for build order).</summary>
    public static string HostDll => Path.Combine(Root, "src", "Compression.Host", "bin", Configuration, "net10.0", "compress.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Compression.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Compression.sln not found above " + AppContext.BaseDirectory);
    }
}

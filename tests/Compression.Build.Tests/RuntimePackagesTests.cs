using System.Xml.Linq;
using Compression.Tests.Shared;

namespace Compression.Build.Tests;

/// <summary>The packaged runtime restores the packages the host runs with, read from the host's own deps.json.</summary>
public class RuntimePackagesTests
{
    private static string HostDepsJson => Path.Combine(RepoRoot.Path, "src", "Compression.Host", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0", "compress.deps.json");

    [Fact]
    public void Every_package_of_the_built_host_is_a_runtime_package_reference_at_the_same_version()
    {
        string deps = File.ReadAllText(HostDepsJson);
        var packages = RuntimePackages.FromDepsJson(deps);

        // The one the hand-written list missed (repeats, bootstrap and the baseline's Welch test use it).
        Assert.Contains(packages, p => p.Id == "MathNet.Numerics" && p.Version == "5.0.0");
        Assert.Contains(packages, p => p.Id == "TorchSharp");
        Assert.Contains(packages, p => p.Id == "Microsoft.ML.OnnxRuntime");
        Assert.DoesNotContain(packages, p => RuntimePackages.IsTorchBackend(p.Id));

        var props = XDocument.Parse(RuntimePackages.ToProps(packages)).Descendants("PackageReference")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        using var document = System.Text.Json.JsonDocument.Parse(deps);
        foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject()
                     .Where(l => l.Value.GetProperty("type").GetString() == "package"))
        {
            string[] idAndVersion = library.Name.Split('/');
            if (!RuntimePackages.IsTorchBackend(idAndVersion[0]))
            {
                Assert.True(props.TryGetValue(idAndVersion[0], out string? version), $"{library.Name} is missing from the runtime's packages");
                Assert.Equal(idAndVersion[1], version);
            }
        }
    }

    [Fact]
    public void The_runtime_project_lists_by_hand_only_the_libtorch_backend()
    {
        string project = Path.Combine(RepoRoot.Path, "src", "Compression.Build", "runtime", "Compression.Runtime.csproj");
        var document = XDocument.Load(project);
        var handWritten = document.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToList();
        Assert.All(handWritten, id => Assert.True(RuntimePackages.IsTorchBackend(id), $"{id} is listed by hand in the runtime project: it comes from the host's deps.json"));
        Assert.Contains(document.Descendants("Import"), e => ((string)e.Attribute("Project")!).EndsWith("Compression.Runtime.Packages.props", StringComparison.Ordinal));
    }

    [Fact]
    public void Packages_props_escapes_and_sorts()
    {
        string props = RuntimePackages.ToProps(RuntimePackages.FromDepsJson("""
            { "libraries": {
                "b/2.0.0": { "type": "package" }, "App/1.0.0": { "type": "project" },
                "a&b/1.0.0": { "type": "package" }, "libtorch-cpu-linux-x64/2.10.0": { "type": "package" } } }
            """));
        var references = XDocument.Parse(props).Descendants("PackageReference").Select(e => $"{e.Attribute("Include")!.Value} {e.Attribute("Version")!.Value}");
        Assert.Equal(["a&b 1.0.0", "b 2.0.0"], references);
    }
}

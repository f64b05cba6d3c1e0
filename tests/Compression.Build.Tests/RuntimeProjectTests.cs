using System.Xml.Linq;
using Compression.Tests.Shared;

namespace Compression.Build.Tests;

/// <summary>The runtime project shipped in the package restores exactly the versions the repo builds and tests with.</summary>
public class RuntimeProjectTests
{
    [Fact]
    public void Runtime_package_versions_match_Directory_Packages_props()
    {
        string root = RepoRoot.Path;
        var central = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var runtime = XDocument.Load(Path.Combine(root, "src", "Compression.Build", "runtime", "Compression.Runtime.csproj")).Descendants("PackageReference").ToList();
        Assert.NotEmpty(runtime);
        foreach (var reference in runtime)
        {
            string id = (string)reference.Attribute("Include")!;
            Assert.True(central.TryGetValue(id, out string? version), $"{id} is not in Directory.Packages.props");
            Assert.Equal(version, (string)reference.Attribute("Version")!);
        }
    }
}

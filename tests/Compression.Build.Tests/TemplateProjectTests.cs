using System.Text.Json.Nodes;
using System.Xml.Linq;
using Compression.Tests.Shared;

namespace Compression.Build.Tests;

/// <summary>The projects the compression-method template generates use what the repo builds and tests with.</summary>
public class TemplateProjectTests
{
    private static readonly string s_root = RepoRoot.Path;
    private static readonly string s_content = Path.Combine(s_root, "templates", "Compression.Templates", "content", "compression-method");

    [Fact]
    public void Generated_package_versions_match_Directory_Packages_props()
    {
        var central = XDocument.Load(Path.Combine(s_root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var references = Directory.GetFiles(s_content, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => XDocument.Load(p).Descendants("PackageReference"))
            .Where(r => (string)r.Attribute("Include")! != "Compression.Abstractions")
            .ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            string id = (string)reference.Attribute("Include")!;
            Assert.True(central.TryGetValue(id, out string? version), $"{id} is not in Directory.Packages.props");
            Assert.Equal(version, (string)reference.Attribute("Version")!);
        }
    }

    [Fact]
    public void Both_projects_reference_the_SDK_through_the_version_symbol_of_the_template()
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(s_content, ".template.config", "template.json")))!;
        string token = template["symbols"]!["sdkVersion"]!["replaces"]!.GetValue<string>();
        var sdkReferences = Directory.GetFiles(s_content, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => XDocument.Load(p).Descendants("PackageReference"))
            .Where(r => (string)r.Attribute("Include")! == "Compression.Abstractions")
            .ToList();

        Assert.Equal(2, sdkReferences.Count);
        Assert.All(sdkReferences, r => Assert.Equal(token, (string)r.Attribute("Version")!));
    }
}

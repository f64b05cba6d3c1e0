namespace Compression.EndToEnd.Tests;

/// <summary>
/// Plugins compile against the plugin SDK only (build/CompressionSdk.props), so anything a first-party
/// plugin does, a third party's can: the build check refuses any other project reference, and every
/// SDK library tracks its public API.
/// </summary>
public sealed class PluginSdkBoundaryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_plugin_referencing_a_project_outside_the_SDK_fails_the_build_naming_it()
    {
        var check = RunCheck(ProbePlugin("Compression.Core", "Compression.Models"));

        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("error CMP9006: Probe references Compression.Core, which is not part of the plugin SDK", check.Output);
        Assert.DoesNotContain("references Compression.Models", check.Output);
    }

    [Fact]
    public void A_plugin_referencing_only_SDK_libraries_passes_the_check()
    {
        var check = RunCheck(ProbePlugin([.. RepoPaths.SdkProjects]));

        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void Every_first_party_plugin_is_checked_and_passes()
    {
        string[] plugins = Directory.GetFiles(Path.Combine(RepoPaths.Root, "plugins"), "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(plugins);
        foreach (string plugin in plugins)
        {
            // The target exists only where plugins/Directory.Build.targets imports the check (MSB4057 otherwise).
            var check = RunCheck(plugin);
            Assert.True(check.ExitCode == 0, $"{plugin}\n{check}");
        }
    }

    [Fact]
    public void Every_SDK_library_tracks_its_public_API_and_is_packable()
    {
        Assert.Contains("Compression.Abstractions", RepoPaths.SdkProjects);
        foreach (string project in RepoPaths.SdkProjects)
        {
            string folder = Path.Combine(RepoPaths.Root, "src", project);
            Assert.True(File.Exists(Path.Combine(folder, project + ".csproj")), $"{project} is listed as SDK but src/{project} does not exist");
            Assert.True(File.Exists(Path.Combine(folder, "PublicAPI.Shipped.txt")), $"{project} does not track its public API (PublicAPI.Shipped.txt)");
            Assert.True(File.Exists(Path.Combine(folder, "PublicAPI.Unshipped.txt")), $"{project} does not track its public API (PublicAPI.Unshipped.txt)");
        }
    }

    private static ProcessRunner.Outcome RunCheck(string project) =>
        ProcessRunner.Dotnet(["msbuild", project, "-t:_CompressionCheckPluginReferences", "-nologo", "-v:m"], Path.GetDirectoryName(project)!, TimeSpan.FromMinutes(3));

    /// <summary>A project laid out like one under plugins/ (the repo's props, the check imported), referencing <paramref name="references"/>.</summary>
    private string ProbePlugin(params string[] references)
    {
        Directory.CreateDirectory(_root);
        string root = RepoPaths.Root;
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"),
            $"<Project><Import Project=\"{Path.Combine(root, "Directory.Build.props")}\" /></Project>");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"),
            $"<Project><Import Project=\"{Path.Combine(root, "build", "PluginReferenceCheck.targets")}\" /></Project>");
        string items = string.Concat(references.Select(r => $"<ProjectReference Include=\"{Path.Combine(root, "src", r, r + ".csproj")}\" />"));
        string project = Path.Combine(_root, "Probe.csproj");
        File.WriteAllText(project, $"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}</ItemGroup></Project>");
        return project;
    }
}

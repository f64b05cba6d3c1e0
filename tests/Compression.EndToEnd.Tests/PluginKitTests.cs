using System.Diagnostics;
using System.IO.Compression;
using Xunit.Abstractions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The plugin author's path, outside the repo in a temp folder, as docs/plugin-authors.md tells it:
/// install the packed template (into a private template hive), create a method, check its generated
/// tests pass, replace the method's body, pack it, and reference it from an app by PackageReference
/// next to the packed Compression.Build; `dotnet build` of the app runs the pipeline with that method
/// and gates it. Every package gets a version of its own so nothing stale comes from the NuGet cache.
/// </summary>
public sealed class PluginKitTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public PluginKitTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            LocalFeed.Forget(_version, ["Compression.Build", "Compression.Abstractions", "AcmeDistill"]);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void A_method_made_from_the_template_and_packed_runs_in_an_apps_build_from_its_PackageReference()
    {
        string feed = Path.Combine(_root, "feed");
        Pack(Path.Combine("src", "Compression.Abstractions", "Compression.Abstractions.csproj"), feed, "--no-build");
        Pack(Path.Combine("src", "Compression.Build", "Compression.Build.csproj"), feed, "--no-build");
        Pack(Path.Combine("templates", "Compression.Templates", "Compression.Templates.csproj"), feed, "--no-build", $"-p:CompressionSdkVersion={_version}");
        // The feed next to the machine's own sources (no <clear/>), as a plugin author would configure it.
        LocalFeed.Configure(_root, feed);
        Step("packed the SDK, Compression.Build and the templates");

        string hive = Path.Combine(_root, "template-hive");
        var install = DotnetNew(["install", Path.Combine(feed, $"Compression.Templates.{_version}.nupkg"), "--debug:custom-hive", hive]);
        Assert.True(install.ExitCode == 0, install.ToString());
        string method = Path.Combine(_root, "AcmeDistill");
        var create = DotnetNew(["compression-method", "-n", "AcmeDistill", "-o", method, "--debug:custom-hive", hive]);
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains($"Version=\"{_version}\"", File.ReadAllText(Path.Combine(method, "AcmeDistill", "AcmeDistill.csproj")));
        Step("installed the template and created AcmeDistill");

        var test = ProcessRunner.Dotnet(["test", Path.Combine(method, "AcmeDistill.slnx")], method);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+5,", test.Output);
        Step("the generated tests pass");

        File.WriteAllText(Path.Combine(method, "AcmeDistill", "AcmeDistillMethod.cs"), PluginKitMethod.Source);
        Pack(Path.Combine(method, "AcmeDistill", "AcmeDistill.csproj"), feed);
        AssertPluginPackageLayout(Path.Combine(feed, $"AcmeDistill.{_version}.nupkg"));
        Step("replaced the method's body and packed it");

        string app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Compression.Build" Version="{_version}" />
                <PackageReference Include="AcmeDistill" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), "System.Console.WriteLine(\"app\");\n");
        string config = Path.Combine(app, "compression.json");
        File.WriteAllText(config, PluginKitMethod.AppConfig(RepoPaths.SampleData, minRetention: "0.5"));

        var build = ProcessRunner.Dotnet(["build"], app);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("compress: passed", build.Output);
        string report = File.ReadAllText(Path.Combine(app, "obj", "compression", "report.md"));
        PluginKitMethod.AssertRanIn(report);
        _output.WriteLine(string.Join('\n', report.Split('\n').Where(l => l.StartsWith("| test accuracy", StringComparison.Ordinal) || l.StartsWith("| epoch", StringComparison.Ordinal) || l.StartsWith("| 1 |", StringComparison.Ordinal))));
        Step("the app's build ran and passed the pipeline with the plugin's method");

        File.WriteAllText(config, PluginKitMethod.AppConfig(RepoPaths.SampleData, minRetention: "1.5"));
        var failing = ProcessRunner.Dotnet(["build"], app);
        Assert.True(failing.ExitCode != 0, failing.ToString());
        int budgetLine = Array.FindIndex(File.ReadAllLines(config), l => l.Contains("minAccuracyRetention", StringComparison.Ordinal)) + 1;
        Assert.Contains($"{config}({budgetLine},", failing.Output);
        Assert.Contains("error CMP3001", failing.Output);
        Step("a budget it misses fails the app's build with CMP3001");
    }

    // The plugin and its deps.json under plugin/, the props that add the CompressionPlugin item, and
    // nothing an app would compile against or restore: no lib/, no dependency, nothing the host provides.
    private static void AssertPluginPackageLayout(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith('_') && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml").Order().ToList();
        Assert.Equal(
            ["AcmeDistill.nuspec", "build/AcmeDistill.props", "buildTransitive/AcmeDistill.props", "plugin/net10.0/AcmeDistill.deps.json", "plugin/net10.0/AcmeDistill.dll"],
            entries);
        using var nuspec = new StreamReader(zip.GetEntry("AcmeDistill.nuspec")!.Open());
        Assert.DoesNotContain("<dependency", nuspec.ReadToEnd());
    }

    private void Pack(string project, string feed, params string[] extra)
    {
        var pack = ProcessRunner.Dotnet(
            ["pack", Path.IsPathRooted(project) ? project : Path.Combine(RepoPaths.Root, project), "-c", RepoPaths.Configuration, "-o", feed, $"-p:Version={_version}", .. extra],
            Path.IsPathRooted(project) ? Path.GetDirectoryName(project)! : RepoPaths.Root);
        Assert.True(pack.ExitCode == 0, pack.ToString());
    }

    // A private CLI home: `dotnet new` keeps its first-run state and installed templates away from the machine's.
    private ProcessRunner.Outcome DotnetNew(IEnumerable<string> arguments) =>
        ProcessRunner.Run("dotnet", ["new", .. arguments], _root, TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = Path.Combine(_root, "cli-home"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

    private void Step(string what) => _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
}

using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// A third party extends the tool with no edit to this repository: tests/OutOfTree/AcmeExtensions is
/// copied to a temp folder and built there against the SDK packed from this repo (only packages, no
/// project reference), and `compress run` loads it from the config's <c>plugins</c>. The student uses the
/// plugin's layer kind (trained, exported, verified); the plugin's stage reports a metric of its own, and a
/// generic budget on that metric passes, then fails at its line.
/// </summary>
public sealed class OutOfTreeExtensionTests : IDisposable
{
    private static readonly string[] s_sdk = ["Compression.Abstractions", "Compression.Onnx", "Compression.Data", "Compression.Models", "Compression.Quantization"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _version = $"0.1.1-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly ITestOutputHelper _output;

    public OutOfTreeExtensionTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in s_sdk)
            {
                string cached = Path.Combine(packages, id.ToLowerInvariant(), _version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void A_plugin_built_outside_the_repo_against_the_packed_SDK_adds_a_stage_whose_metric_a_budget_gates()
    {
        string plugin = BuildPlugin();

        string folder = Path.Combine(_root, "app");
        JsonObject config = FastConfig.Create();
        config["plugins"] = new JsonArray(plugin);
        // The plugin's layer kind in the student, after the first convolution's ReLU (8 channels: 8 gains).
        FastConfig.Stage(config, "distill")["settings"]!["student"]!["layers"]!.AsArray().Insert(2, JsonNode.Parse("""{ "type": "gain", "init": 0.5 }"""));
        config["stages"]!.AsArray().Add(JsonNode.Parse("""{ "stage": "acme-graph-nodes" }"""));
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5, "metrics": [ { "metric": "student.acme.graph_nodes", "max": 1000 } ] }""");
        string configPath = FastConfig.Write(config, folder);

        var passed = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"));
        Assert.True(passed.ExitCode == 0, passed.ToString());
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "work", "result.json")))!;
        double nodes = result["metrics"]!["student.acme.graph_nodes"]!.GetValue<double>();
        Assert.InRange(nodes, 1, 1000);
        // The gain layer trained, exported (verified through ONNX Runtime by the export stage) and counted.
        string exported = Directory.EnumerateFiles(Path.Combine(folder, "work"), "model.onnx", SearchOption.AllDirectories).First();
        Assert.Contains("Mul", ReadNodeTypes(exported));
        _output.WriteLine($"student.acme.graph_nodes = {nodes}");

        config["budgets"]!["metrics"]![0]!["max"] = 1;
        FastConfig.Write(config, folder);
        var failed = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"));
        Assert.True(failed.ExitCode == 1, failed.ToString());
        int maxLine = Array.FindIndex(File.ReadAllLines(configPath), l => l.Contains("\"max\": 1", StringComparison.Ordinal)) + 1;
        Assert.Contains($"{configPath}({maxLine},", failed.Output);
        Assert.Contains("error CMP3020", failed.Output);
        Assert.Contains("student graph nodes", failed.Output);
    }

    /// <summary>Packs the SDK into a feed, builds the plugin in a temp folder from packages only, and returns its assembly.</summary>
    private string BuildPlugin()
    {
        string feed = Path.Combine(_root, "feed");
        foreach (string library in s_sdk)
        {
            var pack = ProcessRunner.Dotnet(
                ["pack", Path.Combine(RepoPaths.Root, "src", library, library + ".csproj"), "-c", RepoPaths.Configuration, "--no-build", "-o", feed, $"-p:Version={_version}"],
                RepoPaths.Root);
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="compression-e2e" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        string source = Path.Combine(RepoPaths.Root, "tests", "OutOfTree", "AcmeExtensions");
        string project = Path.Combine(_root, "AcmeExtensions");
        Directory.CreateDirectory(project);
        foreach (string file in Directory.EnumerateFiles(source).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
        }
        var build = ProcessRunner.Dotnet(["build", project, "-c", "Release", $"-p:CompressionSdkPackageVersion={_version}"], project);
        Assert.True(build.ExitCode == 0, build.ToString());

        string output = Path.Combine(project, "bin", "Release", "net10.0");
        string[] assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).ToArray()!;
        // Only the plugin itself: the SDK, TorchSharp and ONNX Runtime are the host's.
        Assert.Equal(["AcmeExtensions.dll"], assemblies);
        return Path.Combine(output, "AcmeExtensions.dll");
    }

    private static IReadOnlyList<string> ReadNodeTypes(string onnx) =>
        Compression.Onnx.OnnxModelFile.Read(onnx).Graph.Node.Select(n => n.OpType).ToList();

    private static ProcessRunner.Outcome Compress(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [RepoPaths.HostDll, .. arguments], workingDirectory, TimeSpan.FromMinutes(10));
}

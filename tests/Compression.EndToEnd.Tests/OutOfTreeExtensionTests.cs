using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// A third party extends the tool with no edit to this repository: tests/OutOfTree/AcmeExtensions is
/// copied to a temp folder and built there against the SDK packed from this repo (only packages, no
/// project reference), and `compress run` loads it from the config's <c>plugins</c>. The data are in the
/// plugin's format, the student uses the plugin's layer kind (trained, exported, verified through ONNX
/// Runtime), and the plugin's stage reports a metric of its own: a generic budget on it passes, then
/// fails at its line; a malformed line of the plugin's format is exit 2 at that line.
/// </summary>
public sealed class OutOfTreeExtensionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _version = $"0.1.1-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly ITestOutputHelper _output;

    public OutOfTreeExtensionTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            LocalFeed.Forget(_version, RepoPaths.SdkProjects);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void A_plugin_built_outside_the_repo_against_the_packed_SDK_adds_a_layer_kind_a_data_format_and_a_metric_a_budget_gates()
    {
        string plugin = BuildPlugin();
        var listed = Compress(_root, "plugins", "--plugin", plugin);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("acme-graph-nodes", listed.Output);
        Assert.Matches(@"layer kinds:\s+[^\n]*\bgain\b", listed.Output);
        Assert.Contains("pixel-lines", listed.Output);

        string folder = Path.Combine(_root, "app");
        JsonObject config = FastConfig.Create();
        config["plugins"] = new JsonArray(plugin);
        // The data in the plugin's format: the sample's digits rewritten as pixel lines.
        config["data"] = new JsonObject
        {
            ["format"] = "pixel-lines",
            ["train"] = new JsonObject { ["path"] = WritePixelLines(Path.Combine(folder, "train.txt"), "train", 2000) },
            ["test"] = new JsonObject { ["path"] = WritePixelLines(Path.Combine(folder, "test.txt"), "test", 500) },
            ["settings"] = JsonNode.Parse("""{ "shape": [1, 28, 28] }"""),
        };
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

        // A malformed line in the plugin's format is the user's input: exit 2 at its file and line.
        string test = Path.Combine(folder, "test.txt");
        string[] lines = File.ReadAllLines(test);
        lines[2] = "7 0 0 0";
        File.WriteAllLines(test, lines);
        var malformed = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"));
        Assert.True(malformed.ExitCode == 2, malformed.ToString());
        Assert.Contains($"{test}(3,1): error CMP2001", malformed.Output);
    }

    /// <summary>The first <paramref name="count"/> digits of the sample's <paramref name="split"/> split as "label v1 v2 ... v784" lines.</summary>
    private static string WritePixelLines(string path, string split, int count)
    {
        byte[] images = Gunzip(Path.Combine(RepoPaths.SampleData, $"{split}-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(RepoPaths.SampleData, $"{split}-labels-idx1-ubyte.gz"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        for (int i = 0; i < count; i++)
        {
            // IDX: a 16-byte header before 28x28 pixels per image, an 8-byte header before one byte per label.
            writer.Write(labels[8 + i]);
            for (int p = 0; p < 784; p++)
            {
                writer.Write(' ');
                writer.Write(images[16 + (i * 784) + p]);
            }
            writer.Write('\n');
        }
        return path;
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Packs the SDK into a feed, builds the plugin in a temp folder from packages only, and returns its assembly.</summary>
    private string BuildPlugin()
    {
        string feed = Path.Combine(_root, "feed");
        foreach (string library in RepoPaths.SdkProjects)
        {
            var pack = ProcessRunner.Dotnet(
                ["pack", Path.Combine(RepoPaths.Root, "src", library, library + ".csproj"), "-c", RepoPaths.Configuration, "--no-build", "-o", feed, $"-p:Version={_version}"],
                RepoPaths.Root);
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }
        LocalFeed.Configure(_root, feed);

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
        ProcessRunner.Dotnet([RepoPaths.HostDll, .. arguments], workingDirectory, TimeSpan.FromMinutes(10));
}

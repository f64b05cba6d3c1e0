using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 11, provenance: the ML-BOM a sample build writes validates with CycloneDX's own library, the
/// shipped model carries its lineage (<c>compress inspect</c>), and the licence policy stops a build
/// before anything trains, at the licence's line.
/// </summary>
public sealed class ProvenanceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ProcessRunner.Outcome BuildSample(string configPath) =>
        ProcessRunner.Dotnet(
            [
                "build", Path.Combine(RepoPaths.Sample, "MnistClassifier.csproj"), "--no-dependencies", "-c", RepoPaths.Configuration,
                $"-p:CompressionConfigFile={configPath}", $"-p:CompressionWorkDirectory={Path.Combine(_folder, "work")}/",
                $"-p:OutDir={Path.Combine(_folder, "bin")}/",
            ],
            RepoPaths.Root);

    private static ProcessRunner.Outcome Compress(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, .. arguments], workingDirectory, TimeSpan.FromMinutes(5));

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void The_sample_build_writes_an_ML_BOM_the_CycloneDX_library_validates_and_its_model_carries_the_lineage()
    {
        JsonObject config = FastConfig.Create();
        // The sample's own licence policy (requireLicense: its data declares one; its teacher is a spec).
        config["licensePolicy"] = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Sample, "compression.json")))!["licensePolicy"]!.DeepClone();
        string configPath = FastConfig.Write(config, _folder);

        var build = BuildSample(configPath);

        Assert.True(build.ExitCode == 0, build.ToString());
        string bomPath = Path.Combine(_folder, "work", "bom.cdx.json");
        using JsonDocument result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        Assert.Equal(bomPath, result.RootElement.GetProperty("bom").GetString());
        CycloneDxValidator.AssertValid(bomPath);

        JsonNode bom = JsonNode.Parse(File.ReadAllText(bomPath))!;
        JsonNode student = bom["metadata"]!["component"]!;
        string shipped = Path.Combine(_folder, "bin", "model.onnx");
        Assert.Equal("machine-learning-model", student["type"]!.GetValue<string>());
        Assert.Equal(Sha256(shipped), student["hashes"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("classification", student["modelCard"]!["modelParameters"]!["task"]!.GetValue<string>());
        Assert.Equal("convolutional neural network", student["modelCard"]!["modelParameters"]!["architectureFamily"]!.GetValue<string>());
        var metrics = student["modelCard"]!["quantitativeAnalysis"]!["performanceMetrics"]!.AsArray();
        double accuracy = result.RootElement.GetProperty("metrics").GetProperty("student.accuracy").GetDouble();
        Assert.Equal(accuracy, double.Parse(metrics.Single(m => m!["type"]!.GetValue<string>() == "accuracy")!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(metrics, m => m!["type"]!.GetValue<string>() == "expected calibration error (15 bins)");
        Assert.Contains(metrics, m => m!["type"]!.GetValue<string>() == "p50 latency (ms)");
        JsonNode teacher = student["pedigree"]!["ancestors"]![0]!;
        string teacherHash = teacher["hashes"]![0]!["content"]!.GetValue<string>();
        var components = bom["components"]!.AsArray();
        JsonNode train = components.Single(c => c!["bom-ref"]!.GetValue<string>() == "data:train")!;
        Assert.Equal("MIT AND CC-BY-SA-3.0", train["licenses"]![0]!["expression"]!.GetValue<string>());
        Assert.Equal(Sha256(Path.Combine(RepoPaths.SampleData, "train-images-idx3-ubyte.gz")),
            train["components"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "train-images-idx3-ubyte.gz")!["hashes"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(Sha256(configPath), components.Single(c => c!["bom-ref"]!.GetValue<string>() == "file:compression.json")!["hashes"]![0]!["content"]!.GetValue<string>());
        Assert.Contains(components, c => c!["type"]!.GetValue<string>() == "library" && c["name"]!.GetValue<string>() == "Compression.Plugins.Distillation");

        var inspect = Compress(_folder, "inspect", shipped);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains($"compress:   config        compression.json sha256 {Sha256(configPath)}", inspect.Output);
        Assert.Matches($@"compress:   lineage       teacher 'teacher' sha256:{teacherHash[..12]} -> distill \(settings sha256:[0-9a-f]{{12}}\) -> export \(settings sha256:[0-9a-f]{{12}}\) -> quantize \(settings sha256:[0-9a-f]{{12}}\) -> calibrate \(settings sha256:[0-9a-f]{{12}}\) -> benchmark \(settings sha256:[0-9a-f]{{12}}\)", inspect.Output);
        Assert.Contains($"compress:   metric        student.accuracy = {accuracy.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}", inspect.Output);
        Assert.Contains($"compress:   bom serial    {bom["serialNumber"]!.GetValue<string>()}", inspect.Output);
    }

    [Fact]
    public void The_validator_rejects_a_BOM_that_breaks_the_schema()
    {
        Directory.CreateDirectory(_folder);
        string broken = Path.Combine(_folder, "broken.cdx.json");
        File.WriteAllText(broken, """
            { "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
              "metadata": { "component": { "type": "machine-learning-model", "name": "m",
                "modelCard": { "modelParameters": { "approach": { "type": "distillation" } } } } } }
            """);

        var outcome = CycloneDxValidator.Validate(broken);

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains("/metadata/component/modelCard/modelParameters/approach/type", outcome.Output);
    }

    [Fact]
    public void A_teacher_licence_the_policy_denies_fails_the_build_with_CMP6004_at_the_licence_line_before_anything_trains()
    {
        JsonObject config = FastConfig.Create();
        config["teacher"]!["license"] = "CC-BY-NC-4.0";
        config["licensePolicy"] = JsonNode.Parse("""{ "deny": ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"] }""");
        string configPath = FastConfig.Write(config, _folder);
        int licenseLine = Array.FindIndex(File.ReadAllLines(configPath), l => l.Contains("\"license\": \"CC-BY-NC-4.0\"", StringComparison.Ordinal)) + 1;

        var outcome = BuildSample(configPath);

        Assert.True(outcome.ExitCode != 0, outcome.ToString());
        Assert.Matches($@"{Regex.Escape(configPath)}\({licenseLine},\d+\): error CMP6004: 'teacher\.license': the licence of teacher 'teacher', ""CC-BY-NC-4\.0"", is denied by licensePolicy\.deny", outcome.Output);
        Assert.DoesNotContain("compress: teacher: training", outcome.Output);
        Assert.DoesNotContain("compress: distill: running", outcome.Output);
    }

    [Fact]
    public void An_unparseable_licence_and_a_policy_that_allows_and_denies_an_id_exit_2_naming_the_fields()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["license"] = "MIT AND (CC-BY-SA-3.0";
        config["licensePolicy"] = JsonNode.Parse("""{ "allow": ["MIT", "CC-BY-SA-3.0"], "deny": ["cc-by-sa-3.0"] }""");
        string configPath = FastConfig.Write(config, _folder);
        string[] lines = File.ReadAllLines(configPath);
        int licenseLine = Array.FindIndex(lines, l => l.Contains("\"license\": \"MIT AND (CC-BY-SA-3.0\"", StringComparison.Ordinal)) + 1;

        var outcome = Compress(_folder, "validate", configPath);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches($@"{Regex.Escape(configPath)}\({licenseLine},\d+\): error CMP6001: 'data\.license': the licence of the data set, ""MIT AND \(CC-BY-SA-3\.0"", is not an SPDX expression: it ends where '\)' was expected", outcome.Output);
        Assert.Matches($@"{Regex.Escape(configPath)}\(\d+,\d+\): error CMP6003: 'licensePolicy\.deny\[0\]': ""CC-BY-SA-3\.0"" is also allowed by 'licensePolicy\.allow\[1\]'", outcome.Output);
    }
}

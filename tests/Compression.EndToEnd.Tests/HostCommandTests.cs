using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>Runs the built `compress` on real data: exit codes and messages as a user sees them.</summary>
public class HostCommandTests
{
    private static ProcessRunner.Outcome Compress(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, .. arguments], workingDirectory, TimeSpan.FromMinutes(5));

    [Fact]
    public void A_corrupt_data_file_exits_2_naming_the_file()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            JsonObject config = FastConfig.Create();
            string corrupt = Path.Combine(folder, "train-images-idx3-ubyte.gz");
            byte[] original = File.ReadAllBytes(Path.Combine(RepoPaths.SampleData, "train-images-idx3-ubyte.gz"));
            File.WriteAllBytes(corrupt, original[..(original.Length / 2)]);
            config["data"]!["train"]!["features"] = corrupt;
            string configPath = FastConfig.Write(config, folder);

            var outcome = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"));

            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains($"{corrupt}: error CMP2001: ", outcome.Output);
            Assert.Contains("train-images-idx3-ubyte.gz", outcome.Output);
            Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(folder, "work", "cache")), d => !d.EndsWith(".tmp", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_misspelled_setting_exits_2_with_its_line_before_anything_runs()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            JsonObject config = FastConfig.Create();
            FastConfig.Stage(config, "distill")["settings"]!["temprature"] = 3;
            string configPath = FastConfig.Write(config, folder);

            var outcome = Compress(folder, "validate", configPath);

            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP1003: unknown field 'temprature' in 'stages\[0\]\.settings'; did you mean 'temperature'\?", outcome.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Quantize_before_export_and_an_unknown_calibrator_exit_2_naming_stage_and_field()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            JsonObject config = FastConfig.Create();
            JsonArray stages = config["stages"]!.AsArray();
            JsonObject quantize = FastConfig.Stage(config, "quantize");
            stages.Remove(quantize);
            stages.Insert(1, quantize);
            var outcome = Compress(folder, "validate", FastConfig.Write(config, folder));
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP1007: stage 'quantize' needs an ONNX model \(add an 'export' stage before it\)", outcome.Output);

            config = FastConfig.Create();
            FastConfig.Stage(config, "quantize")["settings"]!["calibrator"] = "kl";
            outcome = Compress(folder, "validate", FastConfig.Write(config, folder));
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP1004: 'stages\[2\]\.settings\.calibrator' has the wrong type: expected one of ""minMax"", ""percentile"", ""entropy""", outcome.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_third_party_distillation_method_named_in_the_config_is_loaded_and_used()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            JsonObject config = FastConfig.Create();
            string plugin = Path.Combine(RepoPaths.Root, "samples", "LogitMatchingPlugin", "bin", RepoPaths.Configuration, "net10.0", "LogitMatchingPlugin.dll");
            config["plugins"] = new JsonArray(plugin);
            FastConfig.Stage(config, "distill")["settings"]!["method"] = "logit-mse";
            string configPath = FastConfig.Write(config, folder);

            var outcome = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"));

            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Contains("compress: distill: [1/1] logit-mse T=4 alpha=0.9 (seed 42) epoch 1/1", outcome.Output);
            // The benchmark measured each model's memory in a process of its own (compress probe-memory).
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "work", "result.json")))!["metrics"]!;
            Assert.True(metrics["teacher.memory_bytes"]!.GetValue<double>() > 0, metrics.ToJsonString());
            Assert.True(metrics["student.memory_bytes"]!.GetValue<double>() > 0, metrics.ToJsonString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Plugins_lists_the_first_party_stages_and_methods()
    {
        var outcome = Compress(RepoPaths.Root, "plugins");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (string name in new[] { "distill", "prune", "export", "calibrate", "benchmark", "kd" })
        {
            Assert.Matches($@"(?m)^\s+{name}\s", outcome.Output);
        }
    }

    /// <summary>What a PackageReference to a plugin package does: its build props add a CompressionPlugin item, passed as --plugin.</summary>
    [Fact]
    public void A_plugin_given_with_the_plugin_option_is_loaded_beside_the_configs()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            JsonObject config = FastConfig.Create();
            FastConfig.Stage(config, "distill")["settings"]!["method"] = "logit-mse";
            config["stages"] = new JsonArray(FastConfig.Stage(config, "distill").DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""));
            string configPath = FastConfig.Write(config, folder);
            string plugin = Path.Combine(RepoPaths.Root, "samples", "LogitMatchingPlugin", "bin", RepoPaths.Configuration, "net10.0", "LogitMatchingPlugin.dll");

            var without = Compress(folder, "validate", configPath);
            var with = Compress(folder, "run", configPath, "--work-dir", Path.Combine(folder, "work"), "--plugin", plugin);

            Assert.True(without.ExitCode == 2, without.ToString());
            Assert.Contains("unknown distillation method \"logit-mse\"", without.Output);
            Assert.True(with.ExitCode == 0, with.ToString());
            Assert.Contains("logit-mse", with.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

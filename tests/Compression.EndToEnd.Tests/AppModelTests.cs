using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 18, "your model": a pipeline that starts from an app's ONNX classifier (here one the pipeline
/// made and shipped earlier: it takes raw MNIST pixels) quantizes, calibrates, benchmarks and gates it
/// with no training; the shipped model keeps the original's input, a fixed batch dimension included.
/// </summary>
public sealed class AppModelTests(AppModelTests.Classifier classifier) : IClassFixture<AppModelTests.Classifier>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An MNIST classifier taking raw pixels [batch, 1, 28, 28], made once for the class by a cheap run of the sample.</summary>
    public sealed class Classifier : IDisposable
    {
        public Classifier()
        {
            JsonObject config = FastConfig.Create();
            var stages = config["stages"]!.AsArray();
            foreach (JsonNode? stage in stages.Where(s => s!["stage"]!.GetValue<string>() is not ("distill" or "export")).ToList())
            {
                stages.Remove(stage);
            }
            config["budgets"] = new JsonObject();
            var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, Folder), "--work-dir", Path.Combine(Folder, "work"), "--copy-model-to", OnnxPath], Folder, TimeSpan.FromMinutes(5));
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
        }

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

        public string OnnxPath => Path.Combine(Folder, "classifier.onnx");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private JsonObject Config(string onnx, int channels = 1)
    {
        JsonObject config = FastConfig.Create();
        config.Remove("teacher");
        config["data"]!.AsObject().Remove("normalization");
        config["model"] = new JsonObject
        {
            ["onnx"] = onnx,
            // The classifier takes pixels as the files hold them (its graph scales them itself).
            ["input"] = JsonNode.Parse($$"""{ "layout": "NCHW", "channels": {{channels}}, "size": [28, 28] }"""),
            ["license"] = "MIT",
        };
        config["stages"] = JsonNode.Parse("""
            [
              { "stage": "quantize", "settings": { "calibrator": "percentile" } },
              { "stage": "calibrate" },
              { "stage": "benchmark", "settings": { "batchSizes": [1, 16], "warmup": 2, "iterations": 10 } }
            ]
            """);
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.97, "metrics": [{ "metric": "student.teacher_agreement", "min": 0.98 }] }""");
        return config;
    }

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work"), "--copy-model-to", Shipped], _folder, TimeSpan.FromMinutes(5));

    private string Shipped => Path.Combine(_folder, "out", "model.onnx");

    private Dictionary<string, double> Metrics()
    {
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        return result.RootElement.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    private static long[] InputDims(string path) =>
        [.. OnnxModelFile.Read(path).Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : -1)];

    [Fact]
    public void The_apps_model_is_quantized_calibrated_benchmarked_and_gated_with_no_training()
    {
        var outcome = Run(Config(classifier.OnnxPath));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.DoesNotContain("epoch", outcome.Output, StringComparison.Ordinal);
        Dictionary<string, double> metrics = Metrics();
        Assert.InRange(metrics["student.teacher_agreement"], 0.98, 1.0);
        Assert.True(metrics["teacher.accuracy"] > 0.5, "the app's model is the reference: teacher.accuracy is its accuracy");
        Assert.True(metrics["student.model_bytes"] < metrics["teacher.model_bytes"] / 2, "the shipped model is the int8 one");
        // The shipped model takes what the app's model took: same input, no normalisation added.
        Assert.Equal(InputDims(classifier.OnnxPath), InputDims(Shipped));
        ModelProto shipped = OnnxModelFile.Read(Shipped);
        Assert.Contains(shipped.MetadataProps, p => p.Key == "compression.input" && p.Value.StartsWith("the app's model input: NCHW 1x28x28", StringComparison.Ordinal));
        Assert.Contains("model 'classifier.onnx'", File.ReadAllText(Path.Combine(_folder, "work", "report.md")));

        // The same budget set out of reach fails the gate at its line, from the cache.
        JsonObject strict = Config(classifier.OnnxPath);
        strict["budgets"] = JsonNode.Parse("""{ "metrics": [{ "metric": "student.teacher_agreement", "min": 1.5 }] }""");
        var failed = Run(strict);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP3020: .*student\.teacher_agreement", failed.Output);
        Assert.Contains("quantize: reused from the cache", failed.Output);
    }

    [Fact]
    public void The_apps_model_is_pruned_to_60_percent_of_its_FLOPs_fine_tuned_with_KD_from_itself_then_quantized_benchmarked_and_gated()
    {
        JsonObject config = Config(classifier.OnnxPath);
        config["stages"] = JsonNode.Parse("""
            [
              { "stage": "prune", "settings": { "targetFlopsRatio": 0.6, "steps": 1, "fineTuneEpochs": 1, "learningRate": 0.001 } },
              { "stage": "quantize", "settings": { "calibrator": "percentile" } },
              { "stage": "benchmark", "settings": { "batchSizes": [1, 16], "warmup": 2, "iterations": 10 } }
            ]
            """);
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.9 }""");

        var outcome = ProcessRunner.Run("dotnet", [RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work"), "--copy-model-to", Shipped],
            _folder, TimeSpan.FromMinutes(5));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("prune: prune round 1/1", outcome.Output);
        Assert.Contains("fine-tune epoch 1/1", outcome.Output);
        Dictionary<string, double> metrics = Metrics();
        Assert.InRange(metrics["prune.flops_ratio"], 0.01, 0.6);
        // The shipped model is the pruned graph, quantized: its multiply-adds are the pruned ones.
        Assert.Equal(metrics["prune.flops_after"], metrics["student.flops"]);
        Assert.True(metrics["student.flops"] <= 0.6 * metrics["teacher.flops"], $"{metrics["student.flops"]} of {metrics["teacher.flops"]}");
        Assert.True(metrics["student.parameters"] < metrics["teacher.parameters"]);
        Assert.True(metrics["student.accuracy"] > 0.8, $"accuracy {metrics["student.accuracy"]}");
        Assert.Contains(metrics.Keys, k => k.StartsWith("student.latency.p50_ms.batch", StringComparison.Ordinal));
        Assert.Equal(InputDims(classifier.OnnxPath), InputDims(Shipped));
        Assert.Contains("the app's model 'classifier.onnx' (its ONNX graph)", File.ReadAllText(Path.Combine(_folder, "work", "report.md")));
    }

    [Fact]
    public void Unstructured_pruning_of_the_apps_model_is_bad_input_at_its_mode()
    {
        JsonObject config = Config(classifier.OnnxPath);
        config["stages"] = JsonNode.Parse("""[{ "stage": "prune", "settings": { "mode": "unstructured", "targetSparsity": 0.5 } }]""");

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP\d+: stage 'prune': unstructured pruning of an ONNX model \(classifier\.onnx\) is not supported", outcome.Output);
    }

    [Fact]
    public void A_model_with_a_fixed_batch_of_one_runs_and_ships_with_that_batch()
    {
        ModelProto model = OnnxModelFile.Read(classifier.OnnxPath);
        foreach (ValueInfoProto value in model.Graph.Input.Concat(model.Graph.Output))
        {
            value.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = 1 };
        }
        string fixedBatch = Path.Combine(_folder, "fixed.onnx");
        Directory.CreateDirectory(_folder);
        OnnxModelFile.Write(model, fixedBatch);

        var outcome = Run(Config(fixedBatch));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("benchmark: batch 16:", outcome.Output);
        Assert.Equal([1, 1, 28, 28], InputDims(Shipped));
    }

    [Fact]
    public void A_declared_channel_count_the_model_does_not_take_is_bad_input_at_model_input()
    {
        JsonObject config = Config(classifier.OnnxPath, channels: 3);
        string configPath = FastConfig.Write(config, _folder);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", configPath], _folder);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(configPath)}\(\d+,\d+\): error CMP2004: classifier\.onnx takes input \[\?, 1, 28, 28\] but model\.input declares NCHW \[3, 28, 28\] per sample", outcome.Output);
    }
}

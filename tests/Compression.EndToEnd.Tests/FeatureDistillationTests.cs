using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 9 through `compress run`: a residual student with a depthwise-separable block distils with a
/// feature method (rkd on a tapped embedding), then exports, quantizes (its residual adds in integers)
/// and calibrates on the MNIST sample; a tap the teacher does not have is bad input at its field.
/// </summary>
public sealed class FeatureDistillationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public FeatureDistillationTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string ResidualStudent = """
        { "input": [1, 28, 28], "layers": [
          { "type": "conv2d", "out": 8, "kernel": 3, "stride": 2, "padding": 1, "name": "stem" }, { "type": "batchnorm" }, { "type": "relu" },
          { "type": "residual", "name": "block1", "layers": [
            { "type": "conv2d", "out": 8, "kernel": 3, "padding": 1 }, { "type": "batchnorm" }, { "type": "relu" },
            { "type": "conv2d", "out": 8, "kernel": 3, "padding": 1 }, { "type": "batchnorm" } ] },
          { "type": "relu" },
          { "type": "residual", "name": "block2", "layers": [
            { "type": "conv2d", "out": 8, "kernel": 3, "stride": 2, "padding": 1, "groups": 8 }, { "type": "batchnorm" }, { "type": "relu6" },
            { "type": "conv2d", "out": 16, "kernel": 1 }, { "type": "batchnorm" } ] },
          { "type": "relu" },
          { "type": "globalavgpool" }, { "type": "flatten", "name": "embedding" }, { "type": "linear", "out": 10 } ] }
        """;

    private JsonObject Config(string teacherTap)
    {
        JsonObject config = FastConfig.Create();
        config["teacher"]!["model"]!["layers"]![2]!["name"] = "embedding";
        config["budgets"] = new JsonObject();
        var distill = FastConfig.Stage(config, "distill")["settings"]!.AsObject();
        distill["student"] = JsonNode.Parse(ResidualStudent);
        distill["method"] = "rkd";
        distill["taps"] = JsonNode.Parse($$"""[{ "student": "embedding", "teacher": "{{teacherTap}}" }]""");
        // Every convolution in int8 (the depthwise and 1x1 ones read fewer than 32 values per output and
        // would otherwise be timed, and kept float when that is faster): both residual adds then have
        // quantized inputs.
        FastConfig.Stage(config, "quantize")["settings"]!["shallowConvs"] = "quantize";
        return config;
    }

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(10));

    [Fact]
    public void A_residual_student_distils_from_tapped_features_then_exports_quantizes_and_calibrates()
    {
        var outcome = Run(Config("embedding"));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("(hard ", outcome.Output);
        Assert.Contains(", distance ", outcome.Output);
        string report = File.ReadAllText(Path.Combine(_folder, "work", "report.md"));
        Assert.Contains("| epoch | hard | soft | distance | angle |", report);
        Assert.Contains("### quantize", report);
        Assert.Contains("### calibrate", report);

        // The int8 graph keeps each residual Add between Q/DQ pairs, which ONNX Runtime runs as QLinearAdd.
        // (The quantize stage's student and calibrate's copy with the temperature folded in.)
        List<ModelProto> int8 = Directory.EnumerateFiles(Path.Combine(_folder, "work", "cache"), "*.onnx", SearchOption.AllDirectories)
            .Select(OnnxModelFile.Read)
            .Where(m => m.Graph.Node.Any(n => n.OpType == "QuantizeLinear") && m.Graph.Node.Count(n => n.OpType == "Add") == 2)
            .ToList();
        Assert.NotEmpty(int8);
        foreach (ModelProto model in int8)
        {
            var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
            foreach (NodeProto add in model.Graph.Node.Where(n => n.OpType == "Add"))
            {
                Assert.All(add.Input, input => Assert.Equal("DequantizeLinear", producers[input].OpType));
                // Quantized right after it, or after the Relu that follows it (the Relu carries the pair, and ONNX Runtime folds it).
                string quantizedTensor = model.Graph.Node.SingleOrDefault(n => n.OpType == "Relu" && n.Input[0] == add.Output[0])?.Output[0] ?? add.Output[0];
                Assert.Contains(model.Graph.Node, n => n.OpType == "QuantizeLinear" && n.Input[0] == quantizedTensor);
            }
        }
    }

    [Fact]
    public void A_teacher_tap_that_names_no_tensor_exits_2_at_the_tap_listing_the_tensors()
    {
        var outcome = Run(Config("embeding"));

        Assert.Equal(2, outcome.ExitCode);
        string[] lines = File.ReadAllLines(Path.Combine(_folder, "compression.json"));
        int tapLine = Array.FindIndex(lines, l => l.Contains("\"teacher\": \"embeding\"", StringComparison.Ordinal)) + 1;
        Assert.Matches($@"compression\.json\({tapLine},\d+\): error CMP4001: .*no tensor ""embeding""; tensors it computes: .*embedding", outcome.Output);
    }
}

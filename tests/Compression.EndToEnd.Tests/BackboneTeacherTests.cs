using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Onnx;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 18, "a pretrained teacher": an ONNX backbone that gives features, with a preprocessing graph in
/// front and a declared 3-channel 8x8 input, becomes a teacher for 28x28 grayscale digits through
/// <c>"head": "fit"</c> (a linear probe on its features of the labelled rows), built once and cached.
/// The backbone here is small and random (ResNet-18 does the same at 224x224; see README).
/// </summary>
public sealed class BackboneTeacherTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public BackboneTeacherTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>[1, 3, 8, 8] -> Conv 3x3 to 16 channels -> Relu -> GlobalAveragePool -> [1, 16, 1, 1]: features, fixed batch 1.</summary>
    private string WriteBackbone()
    {
        var random = new Random(5);
        var builder = new OnnxGraphBuilder("backbone");
        builder.AddInput("image", [1, 3, 8, 8]);
        string w = builder.AddInitializer("w", [16, 3, 3, 3], [.. Enumerable.Range(0, 16 * 27).Select(_ => (float)(random.NextDouble() - 0.5))]);
        builder.AddNode("Conv", ["image", w], ["conv"]).Ints("pads", [1, 1, 1, 1]);
        builder.AddNode("Relu", ["conv"], ["relu"]);
        builder.AddNode("GlobalAveragePool", ["relu"], ["features"]);
        builder.AddOutput("features", [1, 16, 1, 1]);
        string path = Path.Combine(_folder, "backbone.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        return path;
    }

    /// <summary>[1, 3, 8, 8] minus 0.5: the kind of graph ML.NET ships beside ResNet-18 (ResNetPreprocess.onnx).</summary>
    private string WritePreprocess()
    {
        var builder = new OnnxGraphBuilder("preprocess");
        builder.AddInput("raw", [1, 3, 8, 8]);
        string half = builder.AddInitializer("half", [], [0.5f]);
        builder.AddNode("Sub", ["raw", half], ["image"]);
        builder.AddOutput("image", [1, 3, 8, 8]);
        string path = Path.Combine(_folder, "preprocess.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        return path;
    }

    private JsonObject Config()
    {
        JsonObject config = FastConfig.Create();
        config["teacher"] = new JsonObject
        {
            ["onnx"] = WriteBackbone(),
            ["preprocess"] = WritePreprocess(),
            ["head"] = "fit",
            ["input"] = JsonNode.Parse("""{ "layout": "NCHW", "channels": 3, "size": [8, 8], "scale": 0.00392156862745098 }"""),
        };
        var stages = config["stages"]!.AsArray();
        foreach (JsonNode? stage in stages.Where(s => s!["stage"]!.GetValue<string>() is not ("distill" or "export")).ToList())
        {
            stages.Remove(stage);
        }
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5 }""");
        return config;
    }

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(5));

    [Fact]
    public void A_backbone_with_a_fitted_head_teaches_a_student_and_is_built_once()
    {
        var outcome = Run(Config());

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("teacher: fitting a linear head on 16 features x 7,196 rows", outcome.Output);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        double teacherAccuracy = result.RootElement.GetProperty("metrics").GetProperty("teacher.accuracy").GetDouble();
        Assert.True(teacherAccuracy > 0.3, $"a linear probe on random-conv features of digits beats chance (0.1) by far: {teacherAccuracy}");

        var again = Run(Config());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("teacher: reused from the cache", again.Output);
        Assert.DoesNotContain("fitting a linear head", again.Output);
    }

    [Fact]
    public void A_backbone_without_a_head_is_told_to_fit_one()
    {
        JsonObject config = Config();
        config["teacher"]!.AsObject().Remove("head");

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2004: teacher backbone.onnx (with its preprocessing, declared input) gives 16 scores per sample but the data has 10 classes", outcome.Output);
        Assert.Contains("add \"head\": \"fit\"", outcome.Output);
    }

    /// <summary>[1, 1, 28, 28] -> Conv 3x3 to 16 channels -> Relu -> GlobalAveragePool: an app's feature extractor for raw digits.</summary>
    private string WriteDigitBackbone()
    {
        var random = new Random(6);
        var builder = new OnnxGraphBuilder("backbone");
        builder.AddInput("image", [1, 1, 28, 28]);
        string w = builder.AddInitializer("w", [16, 1, 3, 3], [.. Enumerable.Range(0, 16 * 9).Select(_ => (float)(random.NextDouble() - 0.5))]);
        builder.AddNode("Conv", ["image", w], ["conv"]).Ints("pads", [1, 1, 1, 1]);
        builder.AddNode("Relu", ["conv"], ["relu"]);
        builder.AddNode("GlobalAveragePool", ["relu"], ["features"]);
        builder.AddOutput("features", [1, 16, 1, 1]);
        string path = Path.Combine(_folder, "digits-backbone.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        return path;
    }

    [Fact]
    public void The_apps_backbone_with_a_fitted_head_is_quantized_and_gated_with_no_other_training()
    {
        JsonObject config = FastConfig.Create();
        config.Remove("teacher");
        config["data"]!.AsObject().Remove("normalization");
        config["model"] = new JsonObject
        {
            ["onnx"] = WriteDigitBackbone(),
            ["head"] = "fit",
            ["input"] = JsonNode.Parse("""{ "layout": "NCHW", "channels": 1, "size": [28, 28], "scale": 0.00392156862745098 }"""),
        };
        config["stages"] = JsonNode.Parse("""[{ "stage": "quantize" }]""");
        config["budgets"] = JsonNode.Parse("""{ "metrics": [{ "metric": "student.teacher_agreement", "min": 0.9 }] }""");

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("model: fitting a linear head on 16 features", outcome.Output);
        Assert.DoesNotContain("distill", outcome.Output, StringComparison.Ordinal);
    }
}

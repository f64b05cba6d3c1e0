using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Stages;
using Compression.Core.AppModel;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Planning;
using Compression.Core.Teacher;
using Compression.Core.Tests.Planning;
using Compression.Onnx;

namespace Compression.Core.Tests.AppModel;

public sealed class AppModelPreflightTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A classifier of [batch, 1, 4, 4] images into 3 classes (Flatten, Gemm); <paramref name="batch"/> fixes the batch dimension.</summary>
    private string WriteModel(long? batch = null)
    {
        var builder = new OnnxGraphBuilder("tiny");
        builder.AddInput("input", [batch, 1, 4, 4]);
        string w = builder.AddInitializer("w", [3, 16], [.. Enumerable.Range(0, 48).Select(i => i * 0.01f)]);
        string b = builder.AddInitializer("b", [3], [0f, 0f, 0f]);
        string flat = builder.UniqueName("flat");
        builder.AddNode("Flatten", ["input"], [flat]);
        builder.AddNode("Gemm", [flat, w, b], ["logits"]).Int("transB", 1);
        builder.AddOutput("logits", [batch, 3]);
        string path = Path.Combine(_folder.Path, "model.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        return path;
    }

    private LoadedConfig Config(string model, string extra = "")
    {
        _folder.Write("a.csv", "");
        _folder.Write("b.csv", "");
        string path = _folder.Write("compression.json", $$"""
            {
              "data": { "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "format": "csv"{{extra}} },
              "model": {{model}},
              "stages": []
            }
            """);
        return ConfigLoader.Load(path);
    }

    private const string Nchw = """{ "onnx": "model.onnx", "input": { "layout": "NCHW", "channels": 1, "size": [4, 4] } }""";

    [Fact]
    public void A_model_whose_input_matches_its_declaration_passes_also_with_a_fixed_batch()
    {
        WriteModel();
        Assert.Empty(AppModelPreflight.Check(Config(Nchw)));
        WriteModel(batch: 1);
        Assert.Empty(AppModelPreflight.Check(Config(Nchw)));
    }

    [Fact]
    public void A_declared_layout_the_file_contradicts_is_a_shape_mismatch_at_model_input()
    {
        WriteModel(batch: 1);
        Finding finding = Assert.Single(AppModelPreflight.Check(Config("""{ "onnx": "model.onnx", "input": { "layout": "NHWC", "channels": 1, "size": [4, 4] } }""")));
        Assert.Equal(ErrorCodes.ShapeMismatch, finding.Code);
        Assert.Equal("model.onnx takes input [1, 1, 4, 4] (a fixed batch of 1, which is run sample by sample) but model.input declares NHWC [4, 4, 1] per sample", finding.Message);
        Assert.Equal(3, finding.Location!.Line);
    }

    [Fact]
    public void The_data_normalisation_and_a_teacher_cannot_be_given_beside_a_model()
    {
        WriteModel();
        var normalization = Assert.Single(AppModelPreflight.Check(Config(Nchw, ", \"normalization\": \"scale\"")));
        Assert.Equal(ErrorCodes.InvalidValue, normalization.Code);
        Assert.StartsWith("'data.normalization' cannot be given with \"model\"", normalization.Message);

        _folder.Write("a.csv", "");
        string path = _folder.Write("compression.json", $$"""
            { "data": { "train": { "path": "a.csv" }, "test": { "path": "a.csv" }, "format": "csv" }, "model": {{Nchw}}, "teacher": { "onnx": "model.onnx" }, "stages": [] }
            """);
        var both = Assert.Single(AppModelPreflight.Check(ConfigLoader.Load(path)));
        Assert.Contains("not both", both.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_bad_input_at_model_onnx()
    {
        _folder.Write("model.onnx", "not a model");
        Finding finding = Assert.Single(AppModelPreflight.Check(Config(Nchw)));
        Assert.Equal(ErrorCodes.TeacherInvalid, finding.Code);
        Assert.StartsWith("'model.onnx' is not a usable ONNX model", finding.Message);
    }

    [Fact]
    public void Data_of_another_size_or_in_the_other_channel_order_is_refused()
    {
        WriteModel();
        LoadedConfig loaded = Config("""{ "onnx": "model.onnx", "input": { "layout": "NCHW", "channels": 3, "size": [4, 4] } }""");
        InputContract contract = AppModelPreflight.Contract(loaded)!;
        AppModelPreflight.CheckData(loaded, contract, [3, 4, 4]);
        AppModelPreflight.CheckData(loaded, contract, [48]);
        var size = Assert.Throws<CompressionException>(() => AppModelPreflight.CheckData(loaded, contract, [1, 4, 4])).Findings.Single();
        Assert.Equal("the data's samples have shape [1, 4, 4] (16 values) but model.input declares NCHW [3, 4, 4] (48 values): check channels and size, or resize the data", size.Message);
        var order = Assert.Throws<CompressionException>(() => AppModelPreflight.CheckData(loaded, contract, [4, 4, 3])).Findings.Single();
        Assert.Contains("channels last, but model.input declares NCHW [3, 4, 4]", order.Message);
    }

    [Fact]
    public void The_model_is_the_reference_teacher_and_the_first_stage_input()
    {
        WriteModel();
        LoadedConfig loaded = Config(Nchw);
        var entry = Assert.Single(TeacherPreflight.Entries(loaded.Config));
        Assert.Equal(("model", "model", "model.onnx"), (entry.Path, entry.Name, entry.Config.Onnx));
        Assert.Equal([ArtifactKind.OnnxModel], PlanBuilder.StartingArtifacts(loaded.Config));
        Assert.Contains(loaded.Resolve("model.onnx"), ConfigInputs.Files(loaded));
    }

    [Fact]
    public void A_pipeline_from_a_model_plans_with_no_stage_or_with_quantize_first_but_not_with_export()
    {
        WriteModel();
        IStage[] stages =
        [
            new FakeStage("export", [ArtifactKind.TorchModel], [ArtifactKind.OnnxModel]),
            new FakeStage("quantize", [ArtifactKind.OnnxModel], [ArtifactKind.OnnxModel]),
        ];
        var builder = new PlanBuilder(stages, new NoServices());
        Assert.Empty(builder.Build(Config(Nchw)).Stages);
        string path = _folder.Write("compression.json", $$"""
            { "data": { "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "format": "csv" }, "model": {{Nchw}}, "stages": [{ "stage": "quantize" }] }
            """);
        Assert.Single(builder.Build(ConfigLoader.Load(path)).Stages);
        path = _folder.Write("compression.json", $$"""
            { "data": { "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "format": "csv" }, "model": {{Nchw}}, "stages": [{ "stage": "export" }] }
            """);
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => builder.Build(ConfigLoader.Load(path))).Findings);
        Assert.Equal(ErrorCodes.PlanBroken, finding.Code);
    }

    [Fact]
    public void A_stage_that_follows_its_input_chains_by_what_it_makes_from_the_apps_model()
    {
        WriteModel();
        Config(Nchw);
        IStage[] stages =
        [
            new FakeStage("distill", [], [ArtifactKind.TorchModel]),
            new FakeStage("export", [ArtifactKind.TorchModel], [ArtifactKind.OnnxModel]),
            new FakeStage("quantize", [ArtifactKind.OnnxModel], [ArtifactKind.OnnxModel]),
            new FakeModelFollowingStage("prune"),
        ];
        var builder = new PlanBuilder(stages, new NoServices());
        LoadedConfig Plan(string stageList) => ConfigLoader.Load(_folder.Write("compression.json", $$"""
            { "data": { "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "format": "csv" }, "model": {{Nchw}}, "stages": {{stageList}} }
            """));

        // From the app's model, prune makes an ONNX model that quantize takes.
        Assert.Equal(2, builder.Build(Plan("""[{ "stage": "prune" }, { "stage": "quantize" }]""")).Stages.Count);
        // After a distill, prune makes a torch model, which export turns into ONNX.
        Assert.Equal(3, builder.Build(Plan("""[{ "stage": "distill" }, { "stage": "prune" }, { "stage": "export" }]""")).Stages.Count);
        // From the app's model there is no torch model to export.
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => builder.Build(Plan("""[{ "stage": "prune" }, { "stage": "export" }]"""))).Findings);
        Assert.Equal(ErrorCodes.PlanBroken, finding.Code);
        Assert.Equal("stage 'export' needs a trained TorchSharp model (add a 'distill' stage before it)", finding.Message);
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Planning;

namespace Compression.Core.Tests.Planning;

public class PlanBuilderTests
{
    private static readonly IStage[] s_stages =
    [
        new FakeTrainStage(),
        new FakeStage("export", [ArtifactKind.TorchModel], [ArtifactKind.OnnxModel]),
        new FakeStage("benchmark", [ArtifactKind.OnnxModel], []),
        new FakeStage("prune", [], [ArtifactKind.TorchModel]),
        new FakeStage("quantize", [ArtifactKind.OnnxModel], [ArtifactKind.OnnxModel]),
    ];

    private static PipelinePlan Build(string stagesJson)
    {
        using var folder = new TempFolder();
        string path = PlanningConfig.Write(folder, stagesJson);
        return new PlanBuilder(s_stages, new EmptyServices()).Build(ConfigLoader.Load(path));
    }

    private static Finding Fails(string stagesJson) =>
        Assert.Single(Assert.Throws<CompressionException>(() => Build(stagesJson)).Findings);

    [Fact]
    public void A_chained_pipeline_plans_with_bound_settings()
    {
        var plan = Build("""[{ "stage": "distill", "settings": { "temperature": 2 } }, { "stage": "export" }, { "stage": "benchmark" }]""");
        Assert.Equal(["distill", "export", "benchmark"], plan.Stages.Select(s => s.Id));
        Assert.Equal(2, ((TrainSettings)plan.Stages[0].Settings).Temperature);
        Assert.Contains("\"epochs\":3", plan.Stages[0].SettingsJson);
    }

    [Fact]
    public void Benchmark_before_export_says_to_add_export()
    {
        var finding = Fails("""[{ "stage": "distill" }, { "stage": "benchmark" }]""");
        Assert.Equal(ErrorCodes.PlanBroken, finding.Code);
        Assert.Equal("stage 'benchmark' needs an ONNX model (add an 'export' stage before it)", finding.Message);
        Assert.Equal(4, finding.Location!.Line);
        Assert.Equal(49, finding.Location.Column);
    }

    [Fact]
    public void Prune_after_export_is_a_chaining_error_at_the_prune_stage()
    {
        var finding = Fails("""[{ "stage": "distill" }, { "stage": "export" }, { "stage": "prune" }]""");
        Assert.Equal(ErrorCodes.PlanBroken, finding.Code);
        Assert.Equal("stage 'prune' makes a new torch-model after 'export' (stages[1]) already turned the previous one into onnx-model: its result would be lost; move it before 'export'", finding.Message);
        Assert.Equal(4, finding.Location!.Line);
        Assert.Equal(72, finding.Location.Column);
    }

    [Fact]
    public void Prune_first_or_after_distill_and_stages_that_rewrite_their_own_kind_chain()
    {
        Assert.Equal(3, Build("""[{ "stage": "prune" }, { "stage": "export" }, { "stage": "benchmark" }]""").Stages.Count);
        Assert.Equal(5, Build("""[{ "stage": "distill" }, { "stage": "prune" }, { "stage": "export" }, { "stage": "quantize" }, { "stage": "quantize" }]""").Stages.Count);
    }

    [Fact]
    public void An_unknown_stage_lists_the_known_ones_and_suggests_the_closest()
    {
        var finding = Fails("""[{ "stage": "distil" }]""");
        Assert.Equal(ErrorCodes.UnknownStage, finding.Code);
        Assert.Contains("did you mean 'distill'?", finding.Message);
        Assert.Contains("benchmark, distill, export, prune, quantize", finding.Message);
    }

    [Fact]
    public void Stage_validation_errors_carry_the_full_settings_path()
    {
        var finding = Fails("""[{ "stage": "distill", "settings": { "epochs": 0 } }, { "stage": "export" }]""");
        Assert.Equal("'stages[0].settings.epochs': must be at least 1, got 0", finding.Message);
    }

    [Fact]
    public void Annotated_ranges_in_plugin_settings_are_checked()
    {
        var finding = Fails("""[{ "stage": "distill", "settings": { "temperature": -1 } }, { "stage": "export" }]""");
        Assert.Equal("'stages[0].settings.temperature': must be in [0.001, 100], got -1", finding.Message);
    }

    [Fact]
    public void Unknown_plugin_settings_fields_are_errors()
    {
        var finding = Fails("""[{ "stage": "distill", "settings": { "temprature": 2 } }, { "stage": "export" }]""");
        Assert.Equal(ErrorCodes.UnknownField, finding.Code);
        Assert.Contains("did you mean 'temperature'?", finding.Message);
    }

    [Fact]
    public void A_pipeline_without_an_onnx_model_is_rejected()
    {
        var finding = Fails("""[{ "stage": "distill" }]""");
        Assert.Contains("makes no ONNX model", finding.Message);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

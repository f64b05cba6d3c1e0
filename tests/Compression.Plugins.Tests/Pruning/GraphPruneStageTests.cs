using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Plugins.Distillation;
using Compression.Plugins.Pruning;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Pruning;

/// <summary>Prune given an ONNX model (the app's): the harness's teacher graph pruned, fine-tuned with KD from itself, and written as ONNX.</summary>
public class GraphPruneStageTests : IDisposable
{
    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Artifact AppModel(string? path = null) => new(ArtifactKind.OnnxModel, path ?? _harness.Teacher.OnnxPath);

    private StageResult Run(PruneSettings settings, Artifact input)
    {
        StageResult result = new PruneStage().RunAsync(_harness.Context(s_services, input), settings, CancellationToken.None).GetAwaiter().GetResult();
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new PruneStage(), settings, result);
        return result;
    }

    private string FirstGemm => OnnxModelFile.Read(_harness.Teacher.OnnxPath).Graph.Node.First(n => n.OpType == "Gemm").Name;

    private static double Metric(StageResult result, string name) => result.Metrics.Single(m => m.Name == name).Value;

    [Fact]
    public void Given_only_an_ONNX_model_prune_makes_an_ONNX_model_otherwise_a_torch_model()
    {
        var stage = new PruneStage();

        Assert.Equal([ArtifactKind.OnnxModel], stage.ProducesFrom(new HashSet<ArtifactKind> { ArtifactKind.OnnxModel }));
        Assert.Equal([ArtifactKind.TorchModel], stage.ProducesFrom(new HashSet<ArtifactKind> { ArtifactKind.OnnxModel, ArtifactKind.TorchModel }));
        Assert.Equal([ArtifactKind.TorchModel], stage.ProducesFrom(new HashSet<ArtifactKind>()));
    }

    [Fact]
    public void The_apps_graph_is_pruned_to_the_FLOPs_target_fine_tuned_with_KD_and_written_as_ONNX()
    {
        long before = OnnxFlops.Count(_harness.Teacher.OnnxPath)!.Value;

        StageResult result = Run(new PruneSettings { TargetFlopsRatio = 0.6, Steps = 2, FineTuneEpochs = 1, LearningRate = 0.01, BatchSize = 32 }, AppModel());

        Artifact artifact = Assert.Single(result.Artifacts);
        Assert.Equal(ArtifactKind.OnnxModel, artifact.Kind);
        ModelProto pruned = OnnxModelFile.Read(artifact.Path);
        long after = OnnxFlops.Count(pruned)!.Value;
        Assert.True(after <= 0.6 * before, $"{after} of {before}");
        Assert.Equal(after, Metric(result, "prune.flops_after"));
        Assert.Equal(before, Metric(result, "prune.flops_before"));
        Assert.Equal(OnnxModelInfo.CountParameters(pruned), Metric(result, "prune.params_after"));
        Assert.True(Metric(result, "prune.accuracy_after") > 0.8, $"accuracy {Metric(result, "prune.accuracy_after")}");
        Assert.Contains("'kd' distillation from the teacher 'teacher'", result.ReportMarkdown);
        Assert.Contains($"| {FirstGemm} | Gemm | 32 |", result.ReportMarkdown);
        Assert.Contains("kept: reaches graph output", result.ReportMarkdown);
        Assert.Contains("in ONNX Runtime on the test split", result.ReportMarkdown);
        Assert.Contains(_harness.Progress, p => p.Message.Contains("fine-tune epoch 1/1", StringComparison.Ordinal));
    }

    [Fact]
    public void Unstructured_pruning_of_an_ONNX_model_is_refused_at_mode()
    {
        var error = Assert.Throws<StageException>(() => Run(new PruneSettings { Mode = "unstructured", TargetSparsity = 0.5 }, AppModel()));

        Assert.Equal("mode", error.SettingsPath);
        Assert.Contains("not supported", error.Message);
    }

    [Fact]
    public void An_operator_the_importer_cannot_train_is_bad_input_naming_op_and_node()
    {
        ModelProto model = OnnxModelFile.Read(_harness.Teacher.OnnxPath);
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        string output = relu.Output[0];
        relu.Output[0] = "before_softsign";
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(relu) + 1, new NodeProto { OpType = "Softsign", Name = "odd_one", Input = { "before_softsign" }, Output = { output } });
        string path = Path.Combine(_harness.Folder, "softsign.onnx");
        OnnxModelFile.Write(model, path);

        var error = Assert.Throws<StageException>(() => Run(new PruneSettings { TargetFlopsRatio = 0.6, Steps = 1, FineTuneEpochs = 1 }, AppModel(path)));

        Assert.Equal("fineTuneEpochs", error.SettingsPath);
        Assert.Contains("'Softsign'", error.Message);
        Assert.Contains("'odd_one'", error.Message);
    }

    [Fact]
    public void An_excluded_name_that_is_no_node_lists_the_nodes_there_are()
    {
        var error = Assert.Throws<StageException>(() => Run(new PruneSettings { TargetFlopsRatio = 0.6, Exclude = ["nope"] }, AppModel()));

        Assert.Equal("exclude[0]", error.SettingsPath);
        Assert.Contains($"'{FirstGemm}'", error.Message);
    }
}

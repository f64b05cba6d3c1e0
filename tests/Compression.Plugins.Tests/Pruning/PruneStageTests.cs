using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Pruning;
using Compression.Models.Training;
using Compression.Plugins.Distillation;
using Compression.Plugins.Pruning;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Pruning;

public class PruneStageTests : IDisposable
{
    private const string ModelJson = """{"input":[6],"layers":[{"type":"linear","out":32,"name":"hidden"},{"type":"relu"},{"type":"linear","out":16,"name":"second"},{"type":"relu"},{"type":"linear","out":3,"name":"head"}]}""";

    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    private readonly StageHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A trained model to prune, saved as the stage before would leave it.</summary>
    private Artifact Trained()
    {
        using SequentialModel model = ModelFactory.Create(StageHarness.Spec(ModelJson), 5);
        SupervisedTrainer.Train(model, _harness.Data.Train, _harness.Data.Validation, new TrainingOptions { Epochs = 4, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string folder = Path.Combine(_harness.Folder, Guid.NewGuid().ToString("N"));
        TorchModelArtifact.Save(model, folder);
        return new Artifact(ArtifactKind.TorchModel, folder);
    }

    private StageResult Run(PruneSettings settings, params Artifact[] inputs)
    {
        StageResult result = new PruneStage().RunAsync(_harness.Context(s_services, inputs), settings, CancellationToken.None).GetAwaiter().GetResult();
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new PruneStage(), settings, result);
        return result;
    }

    private static double Metric(StageResult result, string name) => result.Metrics.Single(m => m.Name == name).Value;

    [Fact]
    public void Structured_pruning_removes_units_to_the_flops_target_and_reports_each_layer()
    {
        Artifact input = Trained();
        long before = SpecCost.Flops(StageHarness.Spec(ModelJson));

        StageResult result = Run(new PruneSettings { TargetFlopsRatio = 0.5, Steps = 2, FineTuneEpochs = 1, LearningRate = 0.01 }, input);

        using SequentialModel pruned = TorchModelArtifact.Load(result.Artifacts.Single().Path);
        Assert.True(SpecCost.Flops(pruned.Spec) <= before / 2, $"{SpecCost.Flops(pruned.Spec)} of {before}");
        Assert.True(pruned.Spec.Layers[0].OutputWidth < 32 && pruned.Spec.Layers[2].OutputWidth < 16);
        Assert.Equal(3, pruned.Spec.Layers[4].OutputWidth);
        Assert.Equal(SpecCost.Flops(pruned.Spec), Metric(result, "prune.flops_after"));
        Assert.True(Metric(result, "prune.accuracy_after") > 0.8, $"accuracy {Metric(result, "prune.accuracy_after")}");
        Assert.Contains($"| hidden | linear | 32 | {pruned.Spec.Layers[0].OutputWidth} | l1 |", result.ReportMarkdown);
        Assert.Contains("| head | linear | 3 | 3 | kept: the model's output (one per class) |", result.ReportMarkdown);
        Assert.Contains("'kd' distillation from the teacher 'teacher'", result.ReportMarkdown);
        Assert.Equal(2, result.ReportMarkdown!.Split('\n').Count(l => l.StartsWith("| 1 |", StringComparison.Ordinal) || l.StartsWith("| 2 |", StringComparison.Ordinal)));
    }

    [Fact]
    public void Per_layer_shares_and_exclusions_are_honoured_with_the_taylor_criterion()
    {
        StageResult result = Run(new PruneSettings
        {
            Layers = new() { ["hidden"] = 0.25 },
            Exclude = ["second"],
            Criterion = "taylor",
            TaylorBatches = 4,
            Steps = 1,
            FineTuneEpochs = 0,
        }, Trained());

        using SequentialModel pruned = TorchModelArtifact.Load(result.Artifacts.Single().Path);
        Assert.Equal(8, pruned.Spec.Layers[0].OutputWidth);
        Assert.Equal(16, pruned.Spec.Layers[2].OutputWidth);
        Assert.Contains("| second | linear | 16 | 16 | kept: layer 'second' is excluded |", result.ReportMarkdown);
    }

    [Fact]
    public void Rounds_are_judged_on_validation_and_test_accuracy_is_shown_once_for_the_shipped_model()
    {
        StageResult result = Run(new PruneSettings { TargetFlopsRatio = 0.5, Steps = 2, FineTuneEpochs = 1, LearningRate = 0.01 }, Trained());

        using SequentialModel pruned = TorchModelArtifact.Load(result.Artifacts.Single().Path);
        string validation = (ModelEvaluator.Accuracy(pruned, _harness.Data.Validation) * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        string[] lines = result.ReportMarkdown!.Split('\n');
        Assert.Contains(lines, l => l.Contains("| validation accuracy after pruning | after fine-tuning |", StringComparison.Ordinal));
        Assert.EndsWith($"| {validation}% |", lines.Single(l => l.StartsWith("| 2 |", StringComparison.Ordinal)).TrimEnd());
        Assert.Single(lines, l => l.Contains("test accuracy", StringComparison.OrdinalIgnoreCase) && l.StartsWith('|'));
        Assert.DoesNotContain(_harness.Progress, p => p.Message.Contains("test acc", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(_harness.Progress, p => p.Message.Contains("val acc", StringComparison.Ordinal));
    }

    [Fact]
    public void Unstructured_pruning_zeroes_the_target_share_holds_it_through_fine_tuning_and_says_latency_is_unchanged()
    {
        StageResult result = Run(new PruneSettings { Mode = "unstructured", TargetSparsity = 0.8, Steps = 2, FineTuneEpochs = 1, LearningRate = 0.01 }, Trained());

        using SequentialModel sparse = TorchModelArtifact.Load(result.Artifacts.Single().Path);
        Assert.Equal(StageHarness.Spec(ModelJson).ToJson(), sparse.Spec.ToJson());
        long weights = 0, zeros = 0;
        foreach (int layer in new[] { 0, 2, 4 })
        {
            float[] values = sparse.Layers[layer].state_dict()["weight"].data<float>().ToArray();
            weights += values.Length;
            zeros += values.Count(v => v == 0);
        }
        Assert.InRange((double)zeros / weights, 0.795, 0.805);
        Assert.InRange(Metric(result, "prune.sparsity"), 0.795, 0.805);
        Assert.True(Metric(result, "prune.gzip_bytes_after") < Metric(result, "prune.gzip_bytes_before"));
        Assert.Equal(Metric(result, "prune.onnx_bytes_before"), Metric(result, "prune.onnx_bytes_after"));
        Assert.Contains("ONNX Runtime's CPU kernels are dense", result.ReportMarkdown);
        Assert.Contains("keeps its size and nothing runs faster", result.ReportMarkdown);
    }

    [Fact]
    public async Task As_the_first_stage_it_prunes_the_teacher_trained_from_its_spec()
    {
        Artifact teacherModel = Trained();
        var teacher = new SpecTeacher(_harness.Teacher, teacherModel.Path);
        StageContext context = _harness.Context(s_services);
        context = new StageContext
        {
            StageId = context.StageId, OutputDirectory = context.OutputDirectory, ConfigDirectory = context.ConfigDirectory, Inputs = context.Inputs,
            Data = context.Data, Teacher = teacher, Seed = context.Seed, Progress = context.Progress, Logger = context.Logger, Services = context.Services,
        };

        StageResult result = await new PruneStage().RunAsync(context, new PruneSettings { TargetParamsRatio = 0.5, Steps = 1, FineTuneEpochs = 0 }, CancellationToken.None);

        Assert.Contains("the teacher 'teacher' (trained from its spec)", result.ReportMarkdown);
        using SequentialModel pruned = TorchModelArtifact.Load(result.Artifacts.Single().Path);
        Assert.True(pruned.ParameterCount <= SpecCost.Parameters(StageHarness.Spec(ModelJson)) / 2);
    }

    [Fact]
    public void First_with_an_onnx_teacher_it_says_what_it_needs()
    {
        var error = Assert.Throws<StageException>(() => Run(new PruneSettings { TargetFlopsRatio = 0.5 }));
        Assert.Contains("must then be given as a spec", error.Message);
    }

    [Fact]
    public void An_excluded_layer_that_does_not_exist_is_bad_input_at_its_entry()
    {
        var error = Assert.Throws<StageException>(() => Run(new PruneSettings { TargetFlopsRatio = 0.5, Exclude = ["hidden", "nope"] }, Trained()));
        Assert.Equal("exclude[1]", error.SettingsPath);
        Assert.Contains("no layer is named 'nope'", error.Message);
    }

    [Fact]
    public void A_target_that_would_leave_a_layer_with_no_channels_is_bad_input_at_that_target()
    {
        var layer = Assert.Throws<StageException>(() => Run(new PruneSettings { Layers = new() { ["second"] = 0.02 } }, Trained()));
        Assert.Equal("layers.second", layer.SettingsPath);
        Assert.Contains("rounds to none", layer.Message);

        var flops = Assert.Throws<StageException>(() => Run(new PruneSettings { TargetFlopsRatio = 0.001 }, Trained()));
        Assert.Equal("targetFlopsRatio", flops.SettingsPath);
        Assert.Contains("never pruned to no channels", flops.Message);

        var head = Assert.Throws<StageException>(() => Run(new PruneSettings { Layers = new() { ["head"] = 0.5 } }, Trained()));
        Assert.Equal("layers.head", head.SettingsPath);
        Assert.Contains("the model's output", head.Message);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_before_anything_runs()
    {
        IReadOnlyList<SettingsError> Errors(PruneSettings settings) => new PruneStage().Validate(settings, s_services);

        Assert.Equal("targetFlopsRatio", Assert.Single(Errors(new PruneSettings())).Path);
        Assert.Equal("targetParamsRatio", Assert.Single(Errors(new PruneSettings { TargetFlopsRatio = 0.5, TargetParamsRatio = 0.5 })).Path);
        SettingsError share = Assert.Single(Errors(new PruneSettings { Layers = new() { ["hidden"] = 1.5 } }));
        Assert.Equal("layers.hidden", share.Path);
        Assert.StartsWith("must be in (0, 1)", share.Message);
        Assert.Equal("targetSparsity", Assert.Single(Errors(new PruneSettings { Mode = "unstructured" })).Path);
        Assert.Equal("criterion", Assert.Single(Errors(new PruneSettings { Mode = "unstructured", TargetSparsity = 0.9, Criterion = "taylor" })).Path);
        Assert.Equal("method", Assert.Single(Errors(new PruneSettings { TargetFlopsRatio = 0.5, Method = "nope" })).Path);
        Assert.Empty(Errors(new PruneSettings { TargetFlopsRatio = 0.5, Method = "none" }));
    }

    /// <summary>A teacher the pipeline trained from a spec: the harness's ONNX teacher plus a torch model folder.</summary>
    private sealed class SpecTeacher(ITeacher inner, string torchModel) : ITeacher
    {
        public string Name => inner.Name;

        public string OnnxPath => inner.OnnxPath;

        public string ContentHash => inner.ContentHash;

        public long ParameterCount => inner.ParameterCount;

        public string? TorchModelPath => torchModel;

        public Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken) => inner.GetLogitsAsync(split, cancellationToken);

        public ITeacherSession OpenSession() => inner.OpenSession();

        public ITeacherSession OpenSession(IReadOnlyList<string> features) => inner.OpenSession(features);

        public IReadOnlyList<int> FeatureShape(string name) => inner.FeatureShape(name);

        public Task<float[]> GetFeaturesAsync(DataSplit split, string name, CancellationToken cancellationToken) => inner.GetFeaturesAsync(split, name, cancellationToken);
    }
}

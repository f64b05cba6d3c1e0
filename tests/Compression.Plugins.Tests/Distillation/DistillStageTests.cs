using System.Text.Json;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Plugins.Distillation;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Distillation;

public class DistillStageTests
{
    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    private static DistillSettings Settings(string student = StageHarness.StudentSpec) => new()
    {
        Student = JsonDocument.Parse(student).RootElement,
        Epochs = 3,
        BatchSize = 32,
        LearningRate = 0.01,
        CompareWithScratch = true,
    };

    [Fact]
    public async Task Distilling_writes_a_loadable_student_and_reports_the_gain_over_scratch()
    {
        using var harness = new StageHarness();
        IStage stage = new DistillStage();
        StageResult result = await stage.RunAsync(harness.Context(s_services), Settings(), CancellationToken.None);

        Artifact artifact = Assert.Single(result.Artifacts);
        Assert.Equal(ArtifactKind.TorchModel, artifact.Kind);
        using var student = TorchModelArtifact.Load(artifact.Path);
        Assert.Equal(4 * 6 + 4 + (3 * 4) + 3, student.ParameterCount);
        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.InRange(metrics["distill.student_test_accuracy"], 0.6, 1.0);
        Assert.Equal((metrics["distill.student_test_accuracy"] - metrics[MetricNames.ScratchAccuracy]) * 100, metrics[MetricNames.DistillationGainPoints], precision: 6);
        Assert.InRange(metrics[MetricNames.DistillationGainPoints], metrics[MetricNames.DistillationGainLowPoints], metrics[MetricNames.DistillationGainHighPoints]);
        Assert.Equal(1, metrics[MetricNames.DistillationGainRepeats]);
        Assert.Contains(harness.Progress, p => p.Message.StartsWith("[1/2] kd T=4 alpha=0.9 (seed 11) epoch 3/3", StringComparison.Ordinal));
        Assert.Contains(harness.Progress, p => p.Message.StartsWith("[2/2] scratch (seed 11) epoch 3/3", StringComparison.Ordinal));
        Assert.Contains("bootstrap over test samples", result.ReportMarkdown);
    }

    [Fact]
    public void An_unknown_method_is_a_settings_error_listing_the_known_ones()
    {
        var settings = Settings();
        settings.Method = "fitnets";
        var error = Assert.Single(new DistillStage().Validate(settings, s_services));
        Assert.Equal("method", error.Path);
        Assert.Contains("expected \"auto\" or one of kd", error.Message);
    }

    [Fact]
    public void A_bad_student_spec_is_reported_at_its_path()
    {
        var error = Assert.Single(new DistillStage().Validate(Settings("""{"input":[6],"layers":[{"type":"linear"}]}"""), s_services));
        Assert.Equal("student.layers[0]", error.Path);
    }

    [Fact]
    public async Task A_student_with_the_wrong_number_of_classes_is_bad_input_not_a_crash()
    {
        using var harness = new StageHarness();
        var settings = Settings("""{"input":[6],"layers":[{"type":"linear","out":5}]}""");
        var error = await Assert.ThrowsAsync<StageException>(() => new DistillStage().RunAsync(harness.Context(s_services), settings, CancellationToken.None));
        Assert.Equal("student.layers", error.SettingsPath);
    }
}

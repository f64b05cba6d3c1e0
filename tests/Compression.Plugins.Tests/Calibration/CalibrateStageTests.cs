using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Export;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Plugins.Calibration;

namespace Compression.Plugins.Tests.Calibration;

public class CalibrateStageTests
{
    /// <summary>
    /// A deliberately over-confident classifier: a wide MLP trained without regularisation for many
    /// epochs on 60 rows of noisy data, so it is near-certain on the training rows and often wrong elsewhere.
    /// </summary>
    private static string OverconfidentModel(StageHarness harness, string spec)
    {
        var model = ModelFactory.Create(StageHarness.Spec(spec), 5);
        var few = new LabelledData(harness.Data.Train.Rows(0, 60).ToArray(), [6], harness.Data.Train.Labels[..60]);
        SupervisedTrainer.Train(model, few, few, new TrainingOptions { Epochs = 300, BatchSize = 60, LearningRate = 0.01, Schedule = "none" }, Losses.CrossEntropy, null, CancellationToken.None);
        string path = Path.Combine(harness.Folder, $"overconfident-{Guid.NewGuid():N}.onnx");
        OnnxExporter.Export(model, path);
        model.Dispose();
        return path;
    }

    private static StageHarness NoisyHarness() => new(noise: 8);

    [Theory]
    [InlineData("""{"input":[6],"layers":[{"type":"linear","out":256},{"type":"relu"},{"type":"linear","out":3}]}""", "folded 1/T into")]
    [InlineData("""{"input":[6],"layers":[{"type":"linear","out":256},{"type":"relu"},{"type":"linear","out":3},{"type":"relu"}]}""", "appended a Div")]
    public async Task Calibration_lowers_ECE_of_an_overconfident_model_and_keeps_its_accuracy(string spec, string how)
    {
        using var harness = NoisyHarness();
        string model = OverconfidentModel(harness, spec);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, model));

        StageResult result = await new CalibrateStage().RunAsync(context, new CalibrationSettings(), CancellationToken.None);

        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new CalibrateStage(), new CalibrationSettings(), result);
        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.True(metrics["calibration.temperature"] > 1, $"an over-confident model needs T > 1, got {metrics["calibration.temperature"]}");
        Assert.True(metrics["calibration.ece_after"] < metrics["calibration.ece_before"], $"ECE {metrics["calibration.ece_before"]} -> {metrics["calibration.ece_after"]}");
        Assert.True(metrics["calibration.nll_after"] < metrics["calibration.nll_before"]);
        Assert.Contains(how, result.ReportMarkdown);
        Assert.True(File.Exists(Path.Combine(context.OutputDirectory, "reliability.svg")));

        // The calibrated file's logits are the original ones divided by T.
        string calibrated = Assert.Single(result.Artifacts).Path;
        float[] input = harness.Data.Test.Rows(0, 8).ToArray();
        using var original = new OnnxInferenceSession(model);
        using var scaled = new OnnxInferenceSession(calibrated);
        float[] expected = original.Run(input, 8).Select(v => (float)(v / metrics["calibration.temperature"])).ToArray();
        float[] actual = scaled.Run(input, 8);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-3);
        Compression.Onnx.Tests.OnnxChecker.AssertValid(calibrated);
    }

    /// <summary>
    /// Issue 12: on a validation split the model classifies perfectly, NLL keeps falling as T shrinks,
    /// so the fit runs to the search bound; the stage must not ship that, and says why.
    /// </summary>
    [Fact]
    public async Task A_perfectly_separated_tiny_validation_split_keeps_T_at_1_with_a_warning_and_never_raises_test_NLL()
    {
        using var harness = new StageHarness(noise: 1.5);
        var model = ModelFactory.Create(StageHarness.Spec(StageHarness.TeacherSpec), 3);
        SupervisedTrainer.Train(model, harness.Data.Train, harness.Data.Validation, new TrainingOptions { Epochs = 20, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string path = Path.Combine(harness.Folder, "separable.onnx");
        OnnxExporter.Export(model, path);
        model.Dispose();
        DataSplits tiny = harness.Data with { Validation = new LabelledData(harness.Data.Validation.Rows(0, 15).ToArray(), [6], harness.Data.Validation.Labels[..15]) };
        var context = harness.Context(tiny, StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, path));

        StageResult result = await new CalibrateStage().RunAsync(context, new CalibrationSettings(), CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(1, metrics["calibration.temperature"]);
        Assert.Equal(metrics["calibration.nll_before"], metrics["calibration.nll_after"], 6);
        StageWarning warning = Assert.Single(result.Warnings);
        Assert.Equal("CMP5001", warning.Code);
        Assert.Contains("cannot be trusted", warning.Message);
        Assert.Contains("T = 1 kept", result.ReportMarkdown);
    }

    /// <summary>
    /// With data.validationFraction 0 there is nothing held out; a fit on the training rows would shrink T
    /// (the model is surest on what it learned) and make it more over-confident, so T stays 1.
    /// </summary>
    [Fact]
    public async Task Without_a_validation_split_T_stays_1_with_CMP5001_instead_of_a_fit_on_the_training_rows()
    {
        using var harness = NoisyHarness();
        string model = OverconfidentModel(harness, """{"input":[6],"layers":[{"type":"linear","out":256},{"type":"relu"},{"type":"linear","out":3}]}""");
        DataSplits noValidation = harness.Data with { Validation = new LabelledData([], [6], []) };
        var context = harness.Context(noValidation, StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, model));

        StageResult result = await new CalibrateStage().RunAsync(context, new CalibrationSettings(), CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(1, metrics["calibration.temperature"]);
        Assert.Equal(metrics["calibration.nll_before"], metrics["calibration.nll_after"], 6);
        StageWarning warning = Assert.Single(result.Warnings);
        Assert.Equal("CMP5001", warning.Code);
        Assert.StartsWith("there is no validation split", warning.Message, StringComparison.Ordinal);
        Assert.Contains("**T = 1 kept**: there is no validation split", result.ReportMarkdown);
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(Assert.Single(result.Artifacts).Path));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 0, 1, 2 }, 3, "fewer than 10 per class")]
    [InlineData(new[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, 2, "misclassifies 0 of the 20")]
    public void A_fit_on_too_little_or_perfectly_separated_data_is_not_trusted(int[] labels, int classes, string reason)
    {
        // Logits that put every sample clearly in its own class.
        float[] logits = labels.SelectMany(l => Enumerable.Range(0, classes).Select(c => c == l ? 5f : 0f)).ToArray();

        string? problem = FitReliability.Problem(logits, labels, classes, temperature: 0.5, minimum: 0.05, maximum: 20);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_fit_at_the_search_bound_is_not_trusted_and_one_inside_it_is()
    {
        int[] labels = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        // Every tenth sample is misclassified, so the likelihood can bound T.
        float[] logits = labels.SelectMany((l, i) => new[] { (l == 0) ^ (i % 10 == 0) ? 2f : 0f, (l == 1) ^ (i % 10 == 0) ? 2f : 0f }).ToArray();

        Assert.Contains("lies at the search bound", FitReliability.Problem(logits, labels, 2, 0.0501, 0.05, 20));
        Assert.Null(FitReliability.Problem(logits, labels, 2, 1.3, 0.05, 20));
    }

    [Fact]
    public async Task A_model_that_is_not_a_classifier_for_the_data_is_bad_input()
    {
        using var harness = NoisyHarness();
        string model = Path.Combine(harness.Folder, "wide.onnx");
        using (var wide = ModelFactory.Create(StageHarness.Spec("""{"input":[6],"layers":[{"type":"linear","out":5}]}"""), 1))
        {
            OnnxExporter.Export(wide, model);
        }
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, model));
        var error = await Assert.ThrowsAsync<StageException>(() => new CalibrateStage().RunAsync(context, new CalibrationSettings(), CancellationToken.None));
        Assert.Contains("must give 3 logits per sample", error.Message);
    }

    [Fact]
    public void The_temperature_search_range_must_be_a_range()
    {
        var error = Assert.Single(new CalibrateStage().Validate(new CalibrationSettings { MinTemperature = 5, MaxTemperature = 2 }, StageHarness.Services(_ => { })));
        Assert.Equal("minTemperature", error.Path);
    }
}

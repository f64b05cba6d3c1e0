using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Diagnostics;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Onnx.Proto;
using Compression.Onnx;

namespace Compression.Plugins.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): fits T on the validation split by minimising NLL, writes
/// it into the ONNX graph, and reports ECE, MCE, NLL and Brier score on the test split before and
/// after. Top-1 accuracy cannot change (dividing logits by T &gt; 0 keeps their order); the stage
/// checks that it did not.
/// </summary>
public sealed class CalibrateStage : Stage<CalibrationSettings>
{
    public override string Name => "calibrate";

    public override string Description => "Temperature scaling: calibrated probabilities written into the ONNX model (Guo et al. 2017)";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.OnnxModel];

    protected override IEnumerable<SettingsError> Validate(CalibrationSettings settings, IServiceProvider services)
    {
        if (settings.MinTemperature >= settings.MaxTemperature)
        {
            yield return new SettingsError("minTemperature", $"must be below maxTemperature ({settings.MaxTemperature}), got {settings.MinTemperature}");
        }
    }

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(CalibrationSettings settings) => CalibrationMetricDescriptors.All();

    protected override Task<StageResult> RunAsync(StageContext context, CalibrationSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    private static StageResult Run(StageContext context, CalibrationSettings settings, CancellationToken cancellationToken)
    {
        string input = context.Input(ArtifactKind.OnnxModel).Path;
        DataSplits data = context.Data;
        float[] testLogits = Logits(input, data.Test, data.ClassCount, cancellationToken);
        var warnings = new List<StageWarning>();
        (double temperature, string fit) = FitTemperature(input, data, settings, warnings, context.Progress, cancellationToken);

        ModelProto model = OnnxModelFile.Read(input);
        string how = temperature == 1 ? "the model is unchanged" : TemperatureFolding.Apply(model, temperature);
        string output = Path.Combine(context.OutputDirectory, "model.onnx");
        OnnxModelFile.Write(model, output);

        var before = CalibrationMetrics.Measure(testLogits, data.Test.Labels, data.ClassCount, 1, settings.Bins);
        var after = CalibrationMetrics.Measure(Logits(output, data.Test, data.ClassCount, cancellationToken), data.Test.Labels, data.ClassCount, 1, settings.Bins);
        if (Math.Abs(before.Accuracy - after.Accuracy) > 1e-12)
        {
            throw new InvalidOperationException($"temperature scaling changed top-1 accuracy from {before.Accuracy} to {after.Accuracy}; this is a bug");
        }
        File.WriteAllText(Path.Combine(context.OutputDirectory, "reliability.svg"), ReliabilityDiagram.Svg(before, after, temperature));
        if (after.Nll > before.Nll + 1e-9)
        {
            // Reported, not undone: choosing the model by the test split would bias the very figures the
            // report and the gate read from it (student.nll, the maxNll budget), which still judge it.
            warnings.Add(new StageWarning(ErrorCodes.CalibrationRaisedNll, string.Create(CultureInfo.InvariantCulture,
                $"temperature scaling (T = {temperature:0.####}) raised the test NLL from {before.Nll:0.0000} to {after.Nll:0.0000} (ECE {before.Ece:0.0000} -> {after.Ece:0.0000}): the calibrated model is surer of its mistakes; a larger validation split gives a steadier fit")));
        }

        var metrics = new List<Metric>
        {
            new("calibration.temperature", temperature),
            new("calibration.ece_before", before.Ece), new("calibration.ece_after", after.Ece),
            new("calibration.mce_before", before.Mce), new("calibration.mce_after", after.Mce),
            new("calibration.nll_before", before.Nll), new("calibration.nll_after", after.Nll),
            new("calibration.brier_before", before.Brier), new("calibration.brier_after", after.Brier),
            new(MetricNames.StudentModelBytes, new FileInfo(output).Length, "bytes"),
        };
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{fit}; {how}. Test split, {settings.Bins} bins:");
        report.AppendLine();
        report.AppendLine("| | ECE | MCE | NLL | Brier | accuracy |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| before | {before.Ece:0.0000} | {before.Mce:0.0000} | {before.Nll:0.0000} | {before.Brier:0.0000} | {before.Accuracy * 100:0.00}% |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| after | {after.Ece:0.0000} | {after.Mce:0.0000} | {after.Nll:0.0000} | {after.Brier:0.0000} | {after.Accuracy * 100:0.00}% |");
        report.AppendLine();
        report.AppendLine("![reliability diagram, before and after](reliability.svg)");
        report.AppendLine();
        report.AppendLine("ECE alone can mislead: a model that is always ~100% confident and right 96% of the time has a small ECE, yet each of its mistakes costs a huge NLL. NLL and Brier score punish confident mistakes, so all three are shown.");
        foreach (StageWarning warning in warnings)
        {
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"**Warning {warning.Code}:** {warning.Message}.");
        }
        return new StageResult([new Artifact(ArtifactKind.OnnxModel, output)], metrics, report.ToString()) { Warnings = warnings };
    }

    /// <summary>
    /// The temperature to write and a sentence for the report saying where it came from. A fit that
    /// <see cref="FitReliability"/> refuses, or no validation split at all, keeps T = 1 with CMP5001.
    /// There is deliberately no fallback to the train split: the model was fitted to those rows, so it is
    /// more often right and surer on them than on new data, and a temperature fitted there comes out
    /// too small, making the model more over-confident (the very failure this guards against).
    /// Cross-validated logits would be the honest larger sample, but an ONNX model cannot be refitted
    /// per fold, so keeping the model as it is is the only choice that cannot make it worse.
    /// </summary>
    private static (double Temperature, string Fit) FitTemperature(string input, DataSplits data, CalibrationSettings settings, List<StageWarning> warnings, IProgress<StageProgress> progress, CancellationToken cancellationToken)
    {
        LabelledData validation = data.Validation;
        if (validation.Count == 0)
        {
            warnings.Add(new StageWarning(ErrorCodes.CalibrationTemperatureUntrusted,
                "there is no validation split (data.validationFraction is 0) to fit the temperature on, and a fit on the training rows the model learned from would make it more confident, not better calibrated; T = 1 is kept (the model is not rescaled). Hold out a validation split (data.validationFraction) to calibrate"));
            return (1, "**T = 1 kept**: there is no validation split to fit a temperature on (see the warning)");
        }

        float[] logits = Logits(input, validation, data.ClassCount, cancellationToken);
        double fitted = TemperatureFitter.Fit(logits, validation.Labels, data.ClassCount, settings.MinTemperature, settings.MaxTemperature);
        progress.Report(new StageProgress(string.Create(CultureInfo.InvariantCulture, $"fitted T = {fitted:0.####} on {validation.Count} held-out samples")));
        if (FitReliability.Problem(logits, validation.Labels, data.ClassCount, fitted, settings.MinTemperature, settings.MaxTemperature) is string problem)
        {
            warnings.Add(new StageWarning(ErrorCodes.CalibrationTemperatureUntrusted, string.Create(CultureInfo.InvariantCulture,
                $"the temperature fitted on validation (T = {fitted:0.####}) cannot be trusted: {problem}; T = 1 is kept (the model is not rescaled). A larger validation split (data.validationFraction) gives a usable fit")));
            return (1, string.Create(CultureInfo.InvariantCulture,
                $"**T = 1 kept**: the fit on {validation.Count} held-out samples gave T = {fitted:0.####}, which cannot be trusted (see the warning)"));
        }
        return (fitted, string.Create(CultureInfo.InvariantCulture,
            $"T = {fitted:0.####} fitted by minimising NLL on {validation.Count} held-out samples (golden-section search on log T)"));
    }

    private static float[] Logits(string path, LabelledData data, int classes, CancellationToken cancellationToken)
    {
        try
        {
            return ClassifierEvaluator.Logits(path, data, classes, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new StageException($"calibration needs a classifier: {ex.Message}");
        }
    }
}

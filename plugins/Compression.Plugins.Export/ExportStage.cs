using System.Globalization;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Export;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;

namespace Compression.Plugins.Export;

/// <summary>
/// TorchSharp student -> ONNX file, accepted only after the same validation samples give the same
/// logits through ONNX Runtime as through TorchSharp (within <see cref="ExportSettings.Tolerance"/> of the
/// largest |logit|, <see cref="OutputAgreement"/>).
/// </summary>
public sealed class ExportStage : Stage<ExportSettings>
{
    public override string Name => "export";

    public override string Description => "Export the student to ONNX (opset 17), verified through ONNX Runtime";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.TorchModel];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.OnnxModel];

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(ExportSettings settings) =>
    [
        new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Format = "N0" },
        new(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" },
        new("export.max_abs_diff", "", MetricDirection.LowerIsBetter, "largest |ONNX Runtime - TorchSharp| logit difference") { Format = "G3" },
    ];

    protected override Task<StageResult> RunAsync(StageContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        using SequentialModel model = TorchModelArtifact.Load(context.Input(ArtifactKind.TorchModel).Path);
        string path = Path.Combine(context.OutputDirectory, "model.onnx");
        OnnxExporter.Export(model, path);
        context.Progress.Report(new StageProgress("exported; verifying against TorchSharp through ONNX Runtime"));

        OutputAgreement agreement = Verify(model, path, context, settings.VerificationSamples);
        if (agreement.FirstNonFiniteExpected >= 0)
        {
            // The student itself is broken (its weights diverged): bad input to this stage, not an exporter bug.
            throw new StageException(
                $"the student gives a non-finite logit on validation sample {agreement.FirstNonFiniteExpected / Math.Max(1, context.Data.ClassCount)} in TorchSharp already: its weights are broken (did training diverge? lower the learning rate); nothing was exported");
        }
        if (!agreement.Within(settings.Tolerance))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"the exported model disagrees with TorchSharp: max |difference| {agreement.MaxDifference:G3} > tolerance {settings.Tolerance:G3} x {agreement.Scale:G3} (the largest |logit|){(agreement.FirstNonFiniteActual >= 0 ? $"; ONNX Runtime gave a non-finite value at output {agreement.FirstNonFiniteActual}" : "")}. This is an exporter bug; please report it with the model spec."));
        }
        double maxDifference = agreement.MaxDifference;
        long bytes = new FileInfo(path).Length;
        var metrics = new List<Metric>
        {
            new(MetricNames.StudentParameters, model.ParameterCount, "count"),
            new(MetricNames.StudentModelBytes, bytes, "bytes"),
            new("export.max_abs_diff", maxDifference, ""),
        };
        string report = $"ONNX opset 17, {bytes:N0} bytes, {model.ParameterCount:N0} parameters; TorchSharp vs ONNX Runtime on {Math.Min(settings.VerificationSamples, context.Data.Validation.Count)} validation samples: max |difference| {maxDifference:G3} (tolerance {settings.Tolerance:G3} x {agreement.Scale:G3}, the largest |logit|).";
        return Task.FromResult(new StageResult([new Artifact(ArtifactKind.OnnxModel, path)], metrics, report));
    }

    private static OutputAgreement Verify(SequentialModel model, string path, StageContext context, int samples)
    {
        var data = context.Data.Validation.Count > 0 ? context.Data.Validation : context.Data.Train;
        int count = Math.Min(samples, data.Count);
        var subset = new Compression.Abstractions.Data.LabelledData(data.Rows(0, count).ToArray(), data.SampleShape, data.Labels[..count]);
        float[] expected = ModelEvaluator.Logits(model, subset);
        using var session = new OnnxInferenceSession(path);
        return OutputAgreement.Of(expected, session.Run(subset.Features, count));
    }
}

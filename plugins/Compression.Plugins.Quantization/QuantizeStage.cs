using System.Diagnostics;
using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Onnx;
using Compression.Models.Evaluation;
using Compression.Onnx.Proto;
using Compression.Quantization.Calibration;
using Compression.Quantization.Qdq;

namespace Compression.Plugins.Quantization;

/// <summary>
/// Static INT8 quantization in QDQ form: calibrates activation ranges on train batches, rewrites
/// Conv and Gemm nodes (per-channel int8 weights, int32 bias), and compares fp32 and int8 side by
/// side in one run: test accuracy, file size, and latency at batch 1 and 64.
/// </summary>
public sealed class QuantizeStage : Stage<QuantizeSettings>
{
    public override string Name => "quantize";

    public override string Description => "Static INT8 quantization (QDQ, per-channel weights; MinMax, Percentile or Entropy calibration)";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.OnnxModel];

    protected override Task<StageResult> RunAsync(StageContext context, QuantizeSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    private static StageResult Run(StageContext context, QuantizeSettings settings, CancellationToken cancellationToken)
    {
        string input = context.Input(ArtifactKind.OnnxModel).Path;
        ModelProto model = OnnxModelFile.Read(input);
        var nodes = QuantizableNodes.Find(model.Graph, settings.Exclude);
        var passThrough = QuantizableNodes.FollowingPassThrough(model.Graph, nodes);
        var floatNodes = model.Graph.Node.Where(n => !nodes.Contains(n) && !passThrough.Contains(n)).Select(n => $"{n.OpType} '{n.Name}'").ToList();

        var ranges = ActivationRangeCollector.Collect(model, QuantizableNodes.Activations(nodes, passThrough), Batches(context.Data.Train, settings),
            settings.Calibrator, new CalibratorOptions(Percentile: settings.Percentile), cancellationToken);
        context.Progress.Report(new StageProgress($"calibrated {ranges.Count} activation ranges ({settings.Calibrator})"));
        QdqRewriter.Apply(model, nodes, passThrough, ranges, new QdqOptions(settings.Activations == "uint8", settings.PerChannel));
        string output = Path.Combine(context.OutputDirectory, "model.onnx");
        OnnxModelFile.Write(model, output);

        LabelledData test = context.Data.Test;
        double fp32Accuracy = Accuracy(input, test, context.Data.ClassCount, cancellationToken);
        double int8Accuracy = Accuracy(output, test, context.Data.ClassCount, cancellationToken);
        long fp32Bytes = new FileInfo(input).Length, int8Bytes = new FileInfo(output).Length;
        var latency = new Dictionary<int, (double Fp32, double Int8)>();
        foreach (int batch in new[] { 1, 64 })
        {
            latency[batch] = MedianLatencies(input, output, test, Math.Min(batch, test.Count), cancellationToken);
        }

        var metrics = new List<Metric>
        {
            new("quantize.fp32_accuracy", fp32Accuracy, "ratio"),
            new("quantize.int8_accuracy", int8Accuracy, "ratio"),
            new("quantize.accuracy_drop_points", (fp32Accuracy - int8Accuracy) * 100, "points"),
            new("quantize.fp32_bytes", fp32Bytes, "bytes"),
            new("quantize.int8_bytes", int8Bytes, "bytes"),
            new("quantize.size_ratio", (double)int8Bytes / fp32Bytes, "ratio"),
            new("quantize.latency_ratio.batch1", latency[1].Int8 / latency[1].Fp32, "ratio"),
            new("quantize.latency_ratio.batch64", latency[64].Int8 / latency[64].Fp32, "ratio"),
            new(MetricNames.StudentModelBytes, int8Bytes, "bytes"),
        };
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Static INT8 (QDQ), {settings.Calibrator} calibration on {settings.CalibrationBatches} x {settings.BatchSize} train samples, {(settings.PerChannel ? "per-channel" : "per-tensor")} weights, {settings.Activations} activations; fp32 and int8 measured in one run (median of interleaved runs):");
        report.AppendLine();
        report.AppendLine("| model | test accuracy | bytes | p50 ms, batch 1 | p50 ms, batch 64 |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| fp32 | {fp32Accuracy * 100:0.00}% | {fp32Bytes:N0} | {latency[1].Fp32:0.000} | {latency[64].Fp32:0.000} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| int8 | {int8Accuracy * 100:0.00}% | {int8Bytes:N0} | {latency[1].Int8:0.000} | {latency[64].Int8:0.000} |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Quantized: {string.Join(", ", nodes.Concat(passThrough).Select(n => $"{n.OpType} '{n.Name}'"))}. Left in float: {(floatNodes.Count == 0 ? "none" : string.Join(", ", floatNodes))}.");
        return new StageResult([new Artifact(ArtifactKind.OnnxModel, output)], metrics, report.ToString());
    }

    private static IEnumerable<(float[] Batch, int Count)> Batches(LabelledData train, QuantizeSettings settings)
    {
        for (int b = 0; b < settings.CalibrationBatches && b * settings.BatchSize < train.Count; b++)
        {
            int count = Math.Min(settings.BatchSize, train.Count - (b * settings.BatchSize));
            yield return (train.Rows(b * settings.BatchSize, count).ToArray(), count);
        }
    }

    private static double Accuracy(string path, LabelledData data, int classes, CancellationToken cancellationToken)
    {
        try
        {
            return ClassifierEvaluator.Accuracy(ClassifierEvaluator.Logits(path, data, classes, cancellationToken, intraOpThreads: 1), data.Labels, classes);
        }
        catch (InvalidDataException ex)
        {
            throw new StageException($"quantization evaluates a classifier: {ex.Message}");
        }
    }

    private static (double Fp32, double Int8) MedianLatencies(string fp32, string int8, LabelledData data, int batch, CancellationToken cancellationToken)
    {
        using var a = new OnnxInferenceSession(fp32, intraOpThreads: 1);
        using var b = new OnnxInferenceSession(int8, intraOpThreads: 1);
        float[] rows = data.Rows(0, batch).ToArray();
        var times = (A: new List<double>(), B: new List<double>());
        for (int i = 0; i < 110; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            a.Run(rows, batch);
            double ta = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            b.Run(rows, batch);
            double tb = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i >= 10)
            {
                times.A.Add(ta);
                times.B.Add(tb);
            }
        }
        times.A.Sort();
        times.B.Sort();
        return (times.A[times.A.Count / 2], times.B[times.B.Count / 2]);
    }
}

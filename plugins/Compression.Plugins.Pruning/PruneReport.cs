using System.Globalization;
using System.IO.Compression;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Export;
using Compression.Models;
using Compression.Models.Pruning;
using Compression.Models.Statistics;
using Compression.Models.Training;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Holds the unpruned model's measurements (taken before pruning touches anything), and after pruning
/// writes the metrics and the report section: cost, accuracy, file size and ONNX Runtime latency side
/// by side, each round, and a per-layer table. A spec model is measured through TorchSharp
/// (<see cref="ForModel"/>, <see cref="Measure"/>), an ONNX graph through ONNX Runtime.
/// </summary>
internal sealed class PruneReport
{
    private readonly StageContext _context;
    private readonly PruneSettings _settings;
    private readonly string _source;
    private readonly string _tuning;
    private readonly CancellationToken _cancellationToken;
    private readonly MeasuredModel _before;
    private readonly string _accuracyBy;
    private MeasuredModel? _after;

    public PruneReport(StageContext context, PruneSettings settings, string source, string tuning, MeasuredModel before, string accuracyBy, CancellationToken cancellationToken)
    {
        (_context, _settings, _source, _tuning, _before, _accuracyBy, _cancellationToken) = (context, settings, source, tuning, before, accuracyBy, cancellationToken);
    }

    /// <summary>The report of a spec model: <paramref name="original"/> exported to compare/unpruned.onnx and evaluated in TorchSharp.</summary>
    public static PruneReport ForModel(StageContext context, PruneSettings settings, string source, string tuning, SequentialModel original, CancellationToken cancellationToken) =>
        new(context, settings, source, tuning, Measure(original, context, "unpruned.onnx"), "in TorchSharp", cancellationToken);

    /// <summary>A spec model exported to compare/<paramref name="name"/>, its cost from the spec and its test answers from TorchSharp.</summary>
    public static MeasuredModel Measure(SequentialModel model, StageContext context, string name)
    {
        string onnx = Path.Combine(CompareFolder(context), name);
        Export(model, onnx);
        return new MeasuredModel(onnx, SpecCost.Flops(model.Spec), model.ParameterCount, ModelEvaluator.Correct(model, context.Data.Test));
    }

    /// <summary>The folder the two ONNX files compared side by side go to.</summary>
    public static string CompareFolder(StageContext context)
    {
        string folder = Path.Combine(context.OutputDirectory, "compare");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public StageResult Structured(Artifact artifact, MeasuredModel pruned, IReadOnlyList<RoundOutcome> rounds, IReadOnlyList<LayerRow> layers, string removed)
    {
        (LatencyComparison latency, double accuracy) = Finish(pruned);
        string onnx = pruned.Onnx;
        long flops = pruned.Flops;
        long flopsBefore = _before.Flops, parametersBefore = _before.Parameters;
        var text = new StringBuilder();
        text.AppendLine(F($"Pruned {_source}: structured, criterion **{_settings.Criterion}**, {_settings.Steps} round(s) on Zhu and Gupta's cubic ramp, each fine-tuned {_settings.FineTuneEpochs} epoch(s) with {_tuning}. {removed}{(_settings.RoundTo > 1 ? $" Channel counts a target set are multiples of {_settings.RoundTo} (roundTo)." : "")}"));
        text.AppendLine();
        text.AppendLine("| | unpruned | pruned | pruned / unpruned |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(F($"| multiply-adds per sample | {flopsBefore:N0} | {flops:N0} | {(double)flops / flopsBefore:0.000}x |"));
        text.AppendLine(F($"| parameters | {parametersBefore:N0} | {pruned.Parameters:N0} | {(double)pruned.Parameters / parametersBefore:0.000}x |"));
        AppendCommonRows(text, onnx, latency, accuracy);
        AppendRounds(text, rounds);
        text.AppendLine();
        text.AppendLine("| layer | kind | channels before | channels after | chosen by |");
        text.AppendLine("| --- | --- | ---: | ---: | --- |");
        foreach (LayerRow row in layers)
        {
            text.AppendLine(F($"| {row.Layer} | {row.Kind} | {row.Before:N0} | {row.After:N0} | {row.How} |"));
        }
        var metrics = CommonMetrics(onnx, latency, accuracy);
        metrics.Add(new Metric("prune.flops_after", flops, "count"));
        metrics.Add(new Metric("prune.flops_ratio", (double)flops / flopsBefore, "ratio"));
        metrics.Add(new Metric("prune.params_after", pruned.Parameters, "count"));
        return new StageResult([artifact], metrics, text.ToString());
    }

    public StageResult Unstructured(Artifact artifact, MeasuredModel sparseModel, IReadOnlyList<RoundOutcome> rounds, IReadOnlyList<(string Layer, long Weights, long Zeros)> layers, double sparsity)
    {
        (LatencyComparison latency, double accuracy) = Finish(sparseModel);
        string onnx = sparseModel.Onnx;
        long gzipBefore = GzipBytes(_before.Onnx), gzipAfter = GzipBytes(onnx);
        var text = new StringBuilder();
        text.AppendLine(F($"Pruned {_source}: unstructured, {_settings.Scope} magnitude ranking, {sparsity * 100:0.0}% of conv and linear weights zero after {_settings.Steps} round(s) on Zhu and Gupta's cubic ramp, each fine-tuned {_settings.FineTuneEpochs} epoch(s) with {_tuning} and the zeros held."));
        text.AppendLine();
        text.AppendLine(F($"**What this buys, honestly:** ONNX Runtime's CPU kernels are dense: they multiply a zero like any other weight, and the file stores it in the same four bytes. So the ONNX file keeps its size and nothing runs faster (measured side by side below: the sparse model takes {latency.Ratio64:0.00}x the dense model's time at batch 64, {latency.Ratio1:0.00}x at batch 1). What changes is how well the file compresses: gzip makes it {(double)gzipAfter / gzipBefore:0.00}x the size of the dense model's gzip ({gzipAfter:N0} vs {gzipBefore:N0} bytes), which matters for download and storage. For a smaller or faster model, use `\"mode\": \"structured\"` (or quantize)."));
        text.AppendLine();
        text.AppendLine("| | dense | sparse | sparse / dense |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(F($"| zero weights | - | {sparsity * 100:0.0}% | |"));
        text.AppendLine(F($"| gzip of the ONNX file, bytes | {gzipBefore:N0} | {gzipAfter:N0} | {(double)gzipAfter / gzipBefore:0.000}x |"));
        AppendCommonRows(text, onnx, latency, accuracy);
        AppendRounds(text, rounds);
        text.AppendLine();
        text.AppendLine("| layer | weights | zero | sparsity |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (layer, weights, zeros) in layers)
        {
            text.AppendLine(F($"| {layer} | {weights:N0} | {zeros:N0} | {(double)zeros / Math.Max(weights, 1) * 100:0.0}% |"));
        }
        var metrics = CommonMetrics(onnx, latency, accuracy);
        metrics.Add(new Metric("prune.sparsity", sparsity, "ratio"));
        metrics.Add(new Metric("prune.gzip_bytes_before", gzipBefore, "bytes"));
        metrics.Add(new Metric("prune.gzip_bytes_after", gzipAfter, "bytes"));
        return new StageResult([artifact], metrics, text.ToString());
    }

    private (LatencyComparison Latency, double Accuracy) Finish(MeasuredModel after)
    {
        _after = after;
        _context.Progress.Report(new StageProgress("timing the unpruned and the pruned model side by side (ONNX Runtime, one thread)"));
        LatencyComparison latency = LatencyComparison.Measure(_before.Onnx, after.Onnx, _context.Data.Test, _cancellationToken);
        return (latency, after.Accuracy);
    }

    private void AppendCommonRows(StringBuilder text, string onnx, LatencyComparison latency, double accuracy)
    {
        text.AppendLine(F($"| test accuracy | {_before.Accuracy * 100:0.00}% | {accuracy * 100:0.00}% | {Change().Describe()} |"));
        text.AppendLine(F($"| ONNX bytes | {new FileInfo(_before.Onnx).Length:N0} | {new FileInfo(onnx).Length:N0} | {(double)new FileInfo(onnx).Length / new FileInfo(_before.Onnx).Length:0.000}x |"));
        text.AppendLine(F($"| p50 latency, batch 1 (ms) | {latency.Before1:0.000} | {latency.After1:0.000} | {latency.Ratio1:0.00}x |"));
        text.AppendLine(F($"| p50 latency, batch 64 (ms) | {latency.Before64:0.000} | {latency.After64:0.000} | **{latency.Ratio64:0.00}x** |"));
        text.AppendLine();
        text.AppendLine($"Latency: ONNX Runtime on one thread, the two models run alternately in one process (200 runs each after 20 warm-up runs), medians. Test accuracy {_accuracyBy} on the test split; the change's 95% interval is a paired bootstrap over test samples (evaluation noise only, one seed).");
    }

    private static void AppendRounds(StringBuilder text, IReadOnlyList<RoundOutcome> rounds)
    {
        text.AppendLine();
        text.AppendLine("Each round is judged on the validation split; the test split is used once, on the shipped model (the last round's, the one that meets the target).");
        text.AppendLine();
        text.AppendLine("| round | target | multiply-adds | parameters | validation accuracy after pruning | after fine-tuning |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (RoundOutcome round in rounds)
        {
            text.AppendLine(F($"| {round.Round} | {round.Target} | {round.Flops:N0} | {round.Parameters:N0} | {round.ValidationPruned * 100:0.00}% | {round.ValidationTuned * 100:0.00}% |"));
        }
    }

    /// <summary>Pruned minus unpruned test accuracy, in points, with its paired bootstrap interval.</summary>
    private GainInterval Change() => PairedBootstrap.OverSamples(_after!.Correct, _before.Correct, seed: _context.Seed).Scaled(100);

    private List<Metric> CommonMetrics(string onnx, LatencyComparison latency, double accuracy) =>
    [
        new("prune.accuracy_change_points", Change().Mean, "points"),
        new("prune.accuracy_change_ci_low_points", Change().Low, "points"),
        new("prune.accuracy_change_ci_high_points", Change().High, "points"),
        new("prune.flops_before", _before.Flops, "count"),
        new("prune.params_before", _before.Parameters, "count"),
        new("prune.accuracy_before", _before.Accuracy, "ratio"),
        new("prune.accuracy_after", accuracy, "ratio"),
        new("prune.onnx_bytes_before", new FileInfo(_before.Onnx).Length, "bytes"),
        new("prune.onnx_bytes_after", new FileInfo(onnx).Length, "bytes"),
        new("prune.latency_p50_ms.batch1.before", latency.Before1, "ms"),
        new("prune.latency_p50_ms.batch1.after", latency.After1, "ms"),
        new("prune.latency_p50_ms.batch64.before", latency.Before64, "ms"),
        new("prune.latency_p50_ms.batch64.after", latency.After64, "ms"),
        new("prune.latency_ratio.batch64", latency.Ratio64, "ratio"),
    ];

    private static void Export(SequentialModel model, string path) => AtomicFile.Write(path, temporary => OnnxExporter.Export(model, temporary));

    private static long GzipBytes(string path)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            using FileStream input = File.OpenRead(path);
            input.CopyTo(gzip);
        }
        return output.Length;
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

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
/// Measures the unpruned model when constructed (before pruning touches anything), and after pruning
/// writes the artifact, the metrics and the report section: cost, accuracy, file size and ONNX
/// Runtime latency side by side, each round, and a per-layer table.
/// </summary>
internal sealed class PruneReport
{
    private readonly StageContext _context;
    private readonly PruneSettings _settings;
    private readonly string _source;
    private readonly string _tuning;
    private readonly CancellationToken _cancellationToken;
    private readonly string _compare;
    private readonly string _unprunedOnnx;
    private readonly long _flops;
    private readonly long _parameters;
    private readonly double _accuracy;
    private readonly bool[] _correct;
    private bool[] _prunedCorrect = [];

    public PruneReport(StageContext context, PruneSettings settings, string source, string tuning, SequentialModel original, CancellationToken cancellationToken)
    {
        (_context, _settings, _source, _tuning, _cancellationToken) = (context, settings, source, tuning, cancellationToken);
        _compare = Path.Combine(context.OutputDirectory, "compare");
        Directory.CreateDirectory(_compare);
        _unprunedOnnx = Path.Combine(_compare, "unpruned.onnx");
        Export(original, _unprunedOnnx);
        _flops = SpecCost.Flops(original.Spec);
        _parameters = original.ParameterCount;
        _correct = ModelEvaluator.Correct(original, context.Data.Test);
        _accuracy = _correct.Length == 0 ? 0 : (double)_correct.Count(c => c) / _correct.Length;
    }

    public StageResult Structured(SequentialModel pruned, IReadOnlyList<RoundOutcome> rounds, IReadOnlyList<LayerRow> layers)
    {
        (string directory, string onnx, LatencyComparison latency, double accuracy) = Finish(pruned);
        long flops = SpecCost.Flops(pruned.Spec);
        var text = new StringBuilder();
        text.AppendLine(F($"Pruned {_source}: structured, criterion **{_settings.Criterion}**, {_settings.Steps} round(s) on Zhu and Gupta's cubic ramp, each fine-tuned {_settings.FineTuneEpochs} epoch(s) with {_tuning}. Removed channels are gone from the model (fewer `out` in its spec), not masked.{(_settings.RoundTo > 1 ? $" Channel counts a target set are multiples of {_settings.RoundTo} (roundTo)." : "")}"));
        text.AppendLine();
        text.AppendLine("| | unpruned | pruned | pruned / unpruned |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(F($"| multiply-adds per sample | {_flops:N0} | {flops:N0} | {(double)flops / _flops:0.000}x |"));
        text.AppendLine(F($"| parameters | {_parameters:N0} | {pruned.ParameterCount:N0} | {(double)pruned.ParameterCount / _parameters:0.000}x |"));
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
        metrics.Add(new Metric("prune.flops_ratio", (double)flops / _flops, "ratio"));
        metrics.Add(new Metric("prune.params_after", pruned.ParameterCount, "count"));
        return new StageResult([new Artifact(ArtifactKind.TorchModel, directory)], metrics, text.ToString());
    }

    public StageResult Unstructured(SequentialModel sparse, IReadOnlyList<RoundOutcome> rounds, IReadOnlyList<(string Layer, long Weights, long Zeros)> layers, double sparsity)
    {
        (string directory, string onnx, LatencyComparison latency, double accuracy) = Finish(sparse);
        long gzipBefore = GzipBytes(_unprunedOnnx), gzipAfter = GzipBytes(onnx);
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
        return new StageResult([new Artifact(ArtifactKind.TorchModel, directory)], metrics, text.ToString());
    }

    private (string Directory, string Onnx, LatencyComparison Latency, double Accuracy) Finish(SequentialModel model)
    {
        string directory = Path.Combine(_context.OutputDirectory, "student");
        TorchModelArtifact.Save(model, directory);
        string onnx = Path.Combine(_compare, "pruned.onnx");
        Export(model, onnx);
        _context.Progress.Report(new StageProgress("timing the unpruned and the pruned model side by side (ONNX Runtime, one thread)"));
        LatencyComparison latency = LatencyComparison.Measure(_unprunedOnnx, onnx, _context.Data.Test, _cancellationToken);
        _prunedCorrect = ModelEvaluator.Correct(model, _context.Data.Test);
        return (directory, onnx, latency, _prunedCorrect.Length == 0 ? 0 : (double)_prunedCorrect.Count(c => c) / _prunedCorrect.Length);
    }

    private void AppendCommonRows(StringBuilder text, string onnx, LatencyComparison latency, double accuracy)
    {
        text.AppendLine(F($"| test accuracy | {_accuracy * 100:0.00}% | {accuracy * 100:0.00}% | {Change().Describe()} |"));
        text.AppendLine(F($"| ONNX bytes | {new FileInfo(_unprunedOnnx).Length:N0} | {new FileInfo(onnx).Length:N0} | {(double)new FileInfo(onnx).Length / new FileInfo(_unprunedOnnx).Length:0.000}x |"));
        text.AppendLine(F($"| p50 latency, batch 1 (ms) | {latency.Before1:0.000} | {latency.After1:0.000} | {latency.Ratio1:0.00}x |"));
        text.AppendLine(F($"| p50 latency, batch 64 (ms) | {latency.Before64:0.000} | {latency.After64:0.000} | **{latency.Ratio64:0.00}x** |"));
        text.AppendLine();
        text.AppendLine("Latency: ONNX Runtime on one thread, the two models run alternately in one process (200 runs each after 20 warm-up runs), medians. Test accuracy in TorchSharp on the test split; the change's 95% interval is a paired bootstrap over test samples (evaluation noise only, one seed).");
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
    private GainInterval Change() => PairedBootstrap.OverSamples(_prunedCorrect, _correct, seed: _context.Seed).Scaled(100);

    private List<Metric> CommonMetrics(string onnx, LatencyComparison latency, double accuracy) =>
    [
        new("prune.accuracy_change_points", Change().Mean, "points"),
        new("prune.accuracy_change_ci_low_points", Change().Low, "points"),
        new("prune.accuracy_change_ci_high_points", Change().High, "points"),
        new("prune.flops_before", _flops, "count"),
        new("prune.params_before", _parameters, "count"),
        new("prune.accuracy_before", _accuracy, "ratio"),
        new("prune.accuracy_after", accuracy, "ratio"),
        new("prune.onnx_bytes_before", new FileInfo(_unprunedOnnx).Length, "bytes"),
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

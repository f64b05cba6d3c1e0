using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Onnx;

namespace Compression.Plugins.Quantization;

/// <summary>
/// An fp32 model and its int8 counterpart measured in one run: test accuracy, bytes, median latency at
/// batch 1 and 64, and the share of test samples whose top-1 class is the same in both (NaN when not measured).
/// </summary>
public sealed record SideBySide(double Fp32Accuracy, double Int8Accuracy, long Fp32Bytes, long Int8Bytes, double Fp32Batch1, double Int8Batch1, double Fp32Batch64, double Int8Batch64, double Agreement = double.NaN)
{
    public double SizeRatio => (double)Int8Bytes / Fp32Bytes;

    public double LatencyRatio1 => Int8Batch1 / Fp32Batch1;

    public double LatencyRatio64 => Int8Batch64 / Fp32Batch64;

    public static SideBySide Measure(string fp32, string int8, DataSplits data, CancellationToken cancellationToken)
    {
        LabelledData test = data.Test;
        var batch1 = MedianLatencies(fp32, int8, test, 1, cancellationToken);
        var batch64 = MedianLatencies(fp32, int8, test, Math.Min(64, test.Count), cancellationToken);
        float[] fp32Logits = Logits(fp32, test, data.ClassCount, cancellationToken), int8Logits = Logits(int8, test, data.ClassCount, cancellationToken);
        return new SideBySide(
            ClassifierEvaluator.Accuracy(fp32Logits, test.Labels, data.ClassCount), ClassifierEvaluator.Accuracy(int8Logits, test.Labels, data.ClassCount),
            new FileInfo(fp32).Length, new FileInfo(int8).Length, batch1.Fp32, batch1.Int8, batch64.Fp32, batch64.Int8,
            ClassifierEvaluator.Agreement(fp32Logits, int8Logits, data.ClassCount));
    }

    /// <summary>Markdown rows for this pair, labelled e.g. "student".</summary>
    public IEnumerable<string> MarkdownRows(string label) =>
    [
        Row($"{label} fp32", $"{Fp32Accuracy * 100:0.00}%", $"{Fp32Bytes:N0}", $"{Fp32Batch1:0.000}", $"{Fp32Batch64:0.000}"),
        Row($"{label} int8", $"{Int8Accuracy * 100:0.00}%", $"{Int8Bytes:N0}", $"{Int8Batch1:0.000}", $"{Int8Batch64:0.000}"),
        Row($"{label} int8 / fp32", $"{(Int8Accuracy - Fp32Accuracy) * 100:+0.00;-0.00;0.00} points", $"{SizeRatio:0.00}x", $"{LatencyRatio1:0.00}x", $"{LatencyRatio64:0.00}x"),
    ];

    private static string Row(params string[] cells) => string.Create(CultureInfo.InvariantCulture, $"| {string.Join(" | ", cells)} |");

    private static float[] Logits(string path, LabelledData data, int classes, CancellationToken cancellationToken)
    {
        try
        {
            return ClassifierEvaluator.Logits(path, data, classes, cancellationToken, intraOpThreads: 1);
        }
        catch (InvalidDataException ex)
        {
            throw new StageException($"quantization evaluates a classifier: {ex.Message}");
        }
    }

    /// <summary>Median latency of two models at one batch size, run alternately (so machine noise hits both alike), one thread each.</summary>
    public static (double Fp32, double Int8) MedianLatencies(string first, string second, LabelledData data, int batch, CancellationToken cancellationToken) =>
        AlternatingLatency.Medians(first, second, data.Rows(0, batch).ToArray(), batch, warmup: 10, iterations: 100, cancellationToken);
}

using Compression.Abstractions.Metrics;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Plugins.Quantization;

/// <summary>The metrics the quantize stage reports, described before it runs.</summary>
internal static class QuantizeMetrics
{
    /// <summary>Throughput of the fp32 student at batch 64, samples per second, from its p50 latency.</summary>
    public const string Fp32ThroughputBatch64 = "quantize.fp32_throughput.batch64";

    /// <summary>Share of test samples whose top-1 class is the same for the int8 and the fp32 student.</summary>
    public const string Int8Agreement = "quantize.int8_agreement";

    /// <summary>The embedding task: mean cosine of each test text's int8 embedding to its fp32 one.</summary>
    public const string Int8CosineToFp32 = "quantize.int8_cosine_to_fp32";

    /// <summary>The embedding task: recall@10 of the int8 student on the test pairs.</summary>
    public const string Int8RecallAt10 = "quantize.int8_recall_at_10";

    /// <summary>The summary table's column for the student before quantization; the final student's column becomes "student int8".</summary>
    private static readonly SummaryColumn s_fp32 = new("student fp32", "student int8", "before the quantize stage, measured by it beside the int8 model");

    public static IEnumerable<MetricDescriptor> For(QuantizeSettings settings)
    {
        // The column shows when its first cell, the fp32 accuracy, was reported (not when the fp32 model was kept).
        yield return new(MetricNames.StudentFp32Accuracy, "", MetricDirection.HigherIsBetter, "student fp32 test accuracy") { Format = "0.####", Summary = new(s_fp32, MetricNames.StudentAccuracy) };
        // Quantization keeps the parameters and the multiply-adds: the fp32 cells show the final student's.
        yield return new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Format = "N0", Summary = new(s_fp32, MetricNames.StudentParameters) };
        yield return new(MetricNames.StudentFlops, "", MetricDirection.LowerIsBetter, "student multiply-adds per sample") { Format = "N0", Summary = new(s_fp32, MetricNames.StudentFlops) };
        yield return new(MetricNames.StudentFp32ModelBytes, "bytes", MetricDirection.LowerIsBetter, "student fp32 ONNX file size") { Format = "N0", Summary = new(s_fp32, MetricNames.StudentModelBytes) };
        yield return new(MetricNames.StudentFp32LatencyBatch1, "ms", MetricDirection.LowerIsBetter, "student fp32 p50 latency, batch 1") { Format = "0.000", Summary = new(s_fp32, MetricNames.Latency("student", 50, 1)) };
        yield return new(Fp32ThroughputBatch64, "samples/s", MetricDirection.HigherIsBetter, "student fp32 throughput, batch 64") { Format = "N0", Summary = new(s_fp32, MetricNames.Throughput("student", 64)) };
        yield return new("quantize.fp32_accuracy_measured", "", MetricDirection.HigherIsBetter, "student fp32 test accuracy (fp32 kept)") { Format = "0.####" };
        yield return new("quantize.int8_accuracy", "", MetricDirection.HigherIsBetter, "student int8 test accuracy") { Format = "0.####" };
        yield return new(Int8Agreement, "", MetricDirection.HigherIsBetter, "int8 / fp32 top-1 agreement on the test split") { Format = "0.####" };
        yield return new("quantize.accuracy_drop_points", "points", MetricDirection.LowerIsBetter, "accuracy lost to int8") { Format = "0.00" };
        yield return new("quantize.int8_bytes", "bytes", MetricDirection.LowerIsBetter, "student int8 ONNX file size") { Format = "N0" };
        yield return new("quantize.size_ratio", "", MetricDirection.LowerIsBetter, "int8 / fp32 file size") { Format = "0.000" };
        yield return new(MetricNames.StudentFp32LatencyBatch64, "ms", MetricDirection.LowerIsBetter, "student fp32 p50 latency, batch 64") { Format = "0.000" };
        foreach (int batch in (int[])[1, 64])
        {
            yield return new($"quantize.int8_latency_ms.batch{batch}", "ms", MetricDirection.LowerIsBetter, $"student int8 p50 latency, batch {batch}") { Format = "0.000" };
            yield return new($"quantize.latency_ratio.batch{batch}", "", MetricDirection.LowerIsBetter, $"int8 / fp32 p50 latency, batch {batch}") { Format = "0.000" };
        }
        yield return new(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" };
        yield return new("quantize.kept_fp32", "", MetricDirection.Neither, "fp32 shipped instead of int8 (1 = yes)") { Format = "0" };
        foreach (string model in (string[])["fp32", "int8"])
        {
            yield return new($"quantize.{model}_recall_at_1", "", MetricDirection.HigherIsBetter, $"student {model} recall@1 on the test pairs (embedding task)") { Format = "0.####" };
            yield return new($"quantize.{model}_recall_at_10", "", MetricDirection.HigherIsBetter, $"student {model} recall@10 on the test pairs (embedding task)") { Format = "0.####" };
            yield return new($"quantize.{model}_mrr", "", MetricDirection.HigherIsBetter, $"student {model} mean reciprocal rank on the test pairs (embedding task)") { Format = "0.####" };
        }
        yield return new(Int8CosineToFp32, "", MetricDirection.HigherIsBetter, "mean cosine of the int8 student's embeddings to the fp32 student's (test texts)") { Format = "0.####" };
        yield return new("quantize.recall_at_10_drop_points", "points", MetricDirection.LowerIsBetter, "recall@10 lost to int8 (embedding task)") { Format = "0.00" };
        yield return new("quantize.int8_recall_at_10_difference", "", MetricDirection.HigherIsBetter, "int8 minus fp32 student recall@10") { Format = "0.####" };
        yield return new("quantize.int8_recall_at_10_difference_low", "", MetricDirection.HigherIsBetter, "int8 minus fp32 student recall@10, 95% interval's lower bound") { Format = "0.####" };
        yield return new("quantize.int8_recall_at_10_difference_high", "", MetricDirection.HigherIsBetter, "int8 minus fp32 student recall@10, 95% interval's upper bound") { Format = "0.####" };
        foreach (int length in settings.SequenceLengths.Distinct())
        {
            foreach (int batch in (int[])[1, 64])
            {
                yield return new(LengthLatency("fp32", batch, length), "ms", MetricDirection.LowerIsBetter, $"student fp32 p50 latency, batch {batch}, {length} tokens") { Format = "0.000" };
                yield return new(LengthLatency("int8", batch, length), "ms", MetricDirection.LowerIsBetter, $"student int8 p50 latency, batch {batch}, {length} tokens") { Format = "0.000" };
                yield return new(LengthRatio(batch, length), "", MetricDirection.LowerIsBetter, $"int8 / fp32 p50 latency, batch {batch}, {length} tokens") { Format = "0.000" };
            }
        }
        if (settings.QuantizeTeacher)
        {
            yield return new("quantize.teacher.accuracy_drop_points", "points", MetricDirection.LowerIsBetter, "teacher accuracy lost to int8") { Format = "0.00" };
            yield return new("quantize.teacher.size_ratio", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 file size") { Format = "0.000" };
            yield return new("quantize.teacher.latency_ratio.batch1", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 p50 latency, batch 1") { Format = "0.000" };
            yield return new("quantize.teacher.latency_ratio.batch64", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 p50 latency, batch 64") { Format = "0.000" };
        }
    }

    /// <summary>The embedding task's quality metrics, and the latencies at each sequence length <paramref name="listed"/> in the settings.</summary>
    public static IEnumerable<Metric> Embedding(EmbeddingSideBySide measured, IReadOnlyCollection<int> listed)
    {
        foreach (var (model, scores) in new[] { ("fp32", measured.Fp32), ("int8", measured.Int8) })
        {
            yield return new($"quantize.{model}_recall_at_1", scores.RecallAt(1), "ratio");
            yield return new($"quantize.{model}_recall_at_10", scores.RecallAt(10), "ratio");
            yield return new($"quantize.{model}_mrr", scores.MeanReciprocalRank, "ratio");
        }
        yield return new(Int8CosineToFp32, measured.Int8CosineToFp32, "ratio");
        yield return new("quantize.recall_at_10_drop_points", (measured.Fp32.RecallAt(10) - measured.Int8.RecallAt(10)) * 100, "points");
        yield return new("quantize.int8_recall_at_10_difference", measured.RecallAt10Difference.Mean, "ratio");
        yield return new("quantize.int8_recall_at_10_difference_low", measured.RecallAt10Difference.Low, "ratio");
        yield return new("quantize.int8_recall_at_10_difference_high", measured.RecallAt10Difference.High, "ratio");
        foreach (LengthLatencies length in measured.Lengths.Where(l => listed.Contains(l.Length)))
        {
            yield return new(LengthLatency("fp32", 1, length.Length), length.Fp32Batch1, "ms");
            yield return new(LengthLatency("int8", 1, length.Length), length.Int8Batch1, "ms");
            yield return new(LengthRatio(1, length.Length), length.LatencyRatio1, "ratio");
            yield return new(LengthLatency("fp32", 64, length.Length), length.Fp32Batch64, "ms");
            yield return new(LengthLatency("int8", 64, length.Length), length.Int8Batch64, "ms");
            yield return new(LengthRatio(64, length.Length), length.LatencyRatio64, "ratio");
        }
    }

    /// <summary>e.g. quantize.int8_latency_ms.batch64.length32.</summary>
    public static string LengthLatency(string model, int batch, int length) => $"quantize.{model}_latency_ms.batch{batch}.length{length}";

    /// <summary>e.g. quantize.latency_ratio.batch64.length32.</summary>
    public static string LengthRatio(int batch, int length) => $"quantize.latency_ratio.batch{batch}.length{length}";
}

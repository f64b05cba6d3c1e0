using Compression.Abstractions.Metrics;

namespace Compression.Plugins.Quantization;

/// <summary>The metrics the quantize stage reports, described before it runs.</summary>
internal static class QuantizeMetrics
{
    /// <summary>Throughput of the fp32 student at batch 64, samples per second, from its p50 latency.</summary>
    public const string Fp32ThroughputBatch64 = "quantize.fp32_throughput.batch64";

    /// <summary>Share of test samples whose top-1 class is the same for the int8 and the fp32 student.</summary>
    public const string Int8Agreement = "quantize.int8_agreement";

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
        if (settings.QuantizeTeacher)
        {
            yield return new("quantize.teacher.accuracy_drop_points", "points", MetricDirection.LowerIsBetter, "teacher accuracy lost to int8") { Format = "0.00" };
            yield return new("quantize.teacher.size_ratio", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 file size") { Format = "0.000" };
            yield return new("quantize.teacher.latency_ratio.batch1", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 p50 latency, batch 1") { Format = "0.000" };
            yield return new("quantize.teacher.latency_ratio.batch64", "", MetricDirection.LowerIsBetter, "teacher int8 / fp32 p50 latency, batch 64") { Format = "0.000" };
        }
    }
}

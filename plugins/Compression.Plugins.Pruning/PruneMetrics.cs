using Compression.Abstractions.Metrics;

namespace Compression.Plugins.Pruning;

/// <summary>The metrics the prune stage reports, described before it runs (structured and unstructured differ).</summary>
internal static class PruneMetrics
{
    public static IEnumerable<MetricDescriptor> For(PruneSettings settings)
    {
        yield return new("prune.accuracy_change_points", "points", MetricDirection.HigherIsBetter, "test accuracy change from pruning") { Format = "+0.00;-0.00" };
        yield return new("prune.accuracy_change_ci_low_points", "points", MetricDirection.HigherIsBetter, "lower bound of the pruning accuracy change's 95% interval") { Format = "+0.00;-0.00" };
        yield return new("prune.accuracy_change_ci_high_points", "points", MetricDirection.HigherIsBetter, "upper bound of the pruning accuracy change's 95% interval") { Format = "+0.00;-0.00" };
        yield return new("prune.flops_before", "", MetricDirection.Neither, "multiply-adds per sample before pruning") { Format = "N0" };
        yield return new("prune.params_before", "", MetricDirection.Neither, "parameters before pruning") { Format = "N0" };
        yield return new("prune.accuracy_before", "", MetricDirection.Neither, "test accuracy before pruning") { Format = "0.####" };
        yield return new("prune.accuracy_after", "", MetricDirection.HigherIsBetter, "test accuracy after pruning") { Format = "0.####" };
        yield return new("prune.onnx_bytes_before", "bytes", MetricDirection.Neither, "ONNX file size before pruning") { Format = "N0" };
        yield return new("prune.onnx_bytes_after", "bytes", MetricDirection.LowerIsBetter, "ONNX file size after pruning") { Format = "N0" };
        foreach (int batch in (int[])[1, 64])
        {
            yield return new($"prune.latency_p50_ms.batch{batch}.before", "ms", MetricDirection.Neither, $"p50 latency before pruning, batch {batch}") { Format = "0.000" };
            yield return new($"prune.latency_p50_ms.batch{batch}.after", "ms", MetricDirection.LowerIsBetter, $"p50 latency after pruning, batch {batch}") { Format = "0.000" };
        }
        yield return new("prune.latency_ratio.batch64", "", MetricDirection.LowerIsBetter, "pruned / unpruned p50 latency, batch 64") { Format = "0.000" };
        if (settings.Mode == "unstructured")
        {
            yield return new("prune.sparsity", "", MetricDirection.Neither, "share of zero weights") { Format = "0.000" };
            yield return new("prune.gzip_bytes_before", "bytes", MetricDirection.Neither, "gzip of the ONNX file before pruning") { Format = "N0" };
            yield return new("prune.gzip_bytes_after", "bytes", MetricDirection.LowerIsBetter, "gzip of the ONNX file after pruning") { Format = "N0" };
        }
        else
        {
            yield return new("prune.flops_after", "", MetricDirection.LowerIsBetter, "multiply-adds per sample after pruning") { Format = "N0" };
            yield return new("prune.flops_ratio", "", MetricDirection.LowerIsBetter, "pruned / unpruned multiply-adds") { Format = "0.000" };
            yield return new("prune.params_after", "", MetricDirection.LowerIsBetter, "parameters after pruning") { Format = "N0" };
        }
    }
}

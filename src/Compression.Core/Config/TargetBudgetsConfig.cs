using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Core.Config;

/// <summary>Budgets on one target's benchmark (an entry of <c>budgets.targets</c>, keyed by the target's name).</summary>
public sealed class TargetBudgetsConfig
{
    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Maximum student p95 latency on this target in milliseconds at latencyBatchSize.")]
    public double? MaxP95LatencyMs { get; set; }

    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Maximum student p50 latency on this target in milliseconds at latencyBatchSize.")]
    public double? MaxP50LatencyMs { get; set; }

    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Minimum teacher p50 / student p50 latency on this target at speedupBatchSize.")]
    public double? MinSpeedup { get; set; }

    [Range(0.0, 1e15, ErrorMessage = "must be between 0 and 1e15")]
    [Description("Maximum student peak memory on this target in bytes (not measured under emulation).")]
    public double? MaxMemoryBytes { get; set; }

    [Range(1, 65_536, ErrorMessage = "must be between 1 and 65536")]
    [Description("Batch size the latency budgets refer to (one of the target's batchSizes).")]
    public int LatencyBatchSize { get; set; } = 1;

    [Range(1, 65_536, ErrorMessage = "must be between 1 and 65536")]
    [Description("Batch size the speedup budget refers to (one of the target's batchSizes).")]
    public int SpeedupBatchSize { get; set; } = 1;
}

namespace Compression.Abstractions.Metrics;

/// <summary>Which way a metric improves; budgets and reports say it in their messages.</summary>
public enum MetricDirection
{
    /// <summary>Neither way is better (a count of rows, a temperature, a flag).</summary>
    Neither,

    /// <summary>Larger values are better (accuracy, speedup, throughput).</summary>
    HigherIsBetter,

    /// <summary>Smaller values are better (latency, bytes, calibration error).</summary>
    LowerIsBetter,
}

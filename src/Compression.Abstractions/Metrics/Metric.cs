namespace Compression.Abstractions.Metrics;

/// <summary>A measured number, named so the gate and the report can find it.</summary>
/// <param name="Name">Dotted, stable name, e.g. <c>student.latency.p95_ms.batch1</c>. See <see cref="MetricNames"/>.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Unit for display (<c>ms</c>, <c>bytes</c>, <c>ratio</c>, ...), or empty.</param>
public sealed record Metric(string Name, double Value, string Unit = "");

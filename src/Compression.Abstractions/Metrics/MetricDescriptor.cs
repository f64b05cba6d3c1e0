namespace Compression.Abstractions.Metrics;

/// <summary>
/// What a metric means, published before anything runs by the stage that will report it (see
/// <see cref="Stages.IStage.ReportedMetrics"/>), so a budget on it can be checked up front and its
/// messages and the report can name it in words. A plugin may also register metrics not tied to a
/// stage with <c>services.AddSingleton(new MetricDescriptor(...))</c>.
/// </summary>
/// <param name="Name">The exact name the <see cref="Metric"/> will carry, e.g. <c>student.latency.p50_ms.batch1</c>.</param>
/// <param name="Unit">Unit written after a value (<c>ms</c>, <c>bytes</c>, <c>points</c>), or empty for a plain number or a ratio.</param>
/// <param name="Direction">Which way the metric improves.</param>
/// <param name="Label">Words for messages and reports, e.g. <c>student p50 latency, batch 1</c>.</param>
public sealed record MetricDescriptor(string Name, string Unit, MetricDirection Direction, string Label)
{
    /// <summary>A .NET numeric format for values in messages (e.g. <c>N0</c> for byte counts); null for up to three decimals.</summary>
    public string? Format { get; init; }

    /// <summary>Where the value shows in the summary table beside the teacher and the student, or null when it does not.</summary>
    public SummaryCell? Summary { get; init; }
}

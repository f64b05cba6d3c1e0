using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;

namespace Compression.Abstractions.Stages;

/// <summary>What a stage made.</summary>
/// <param name="Artifacts">Files or folders inside <see cref="StageContext.OutputDirectory"/>.</param>
/// <param name="Metrics">Numbers the stage measured.</param>
/// <param name="ReportMarkdown">An optional section for the Markdown report (no top-level heading).</param>
public sealed record StageResult(
    IReadOnlyList<Artifact> Artifacts,
    IReadOnlyList<Metric> Metrics,
    string? ReportMarkdown = null)
{
    /// <summary>Warnings for the user (each also belongs in the report section).</summary>
    public IReadOnlyList<StageWarning> Warnings { get; init; } = [];

    /// <summary>One line printed under the summary table (the distill stage's KD gain with its interval), or null.</summary>
    public string? SummaryNote { get; init; }
}

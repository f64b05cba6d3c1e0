using Compression.Abstractions.Metrics;
using Compression.Core.Diagnostics;

namespace Compression.Core.Results;

/// <summary>The outcome of a run: what was measured, what the gate found, where the model is.</summary>
public sealed record PipelineResult(
    string ConfigPath,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<StageRun> Stages,
    string StudentModelPath,
    string TeacherModelPath,
    TimeSpan Elapsed)
{
    /// <summary>What input the shipped model takes (raw features, with the normalisation in its graph); null when no model was copied out.</summary>
    public string? ShippedInput { get; init; }

    /// <summary>The ML bill of materials (CycloneDX 1.6 JSON) the run wrote, or null.</summary>
    public string? BomPath { get; init; }

    /// <summary>The provenance section of report.md: licences, hashes, lineage; or null.</summary>
    public string? ProvenanceMarkdown { get; init; }

    /// <summary>Every configured budget with its verdict, in the order they are checked.</summary>
    public IReadOnlyList<Gate.BudgetVerdict> Budgets { get; init; } = [];

    /// <summary>The comparison with the committed baseline; null when the config has no baseline.</summary>
    public Gate.BaselineComparison? Baseline { get; init; }

    /// <summary>The descriptors of the metrics the plan reports (the evaluation's and every stage's, duplicates kept), for the summary's extra columns.</summary>
    public IReadOnlyList<MetricDescriptor> Descriptors { get; init; } = [];

    /// <summary>The stages' lines for under the summary table (<see cref="Abstractions.Stages.StageResult.SummaryNote"/>), in plan order.</summary>
    public IReadOnlyList<string> SummaryNotes { get; init; } = [];

    /// <summary>How each benchmark target was measured (its figures are in <see cref="Metrics"/> under its name), in config order.</summary>
    public IReadOnlyList<Targets.TargetRun> Targets { get; init; } = [];

    /// <summary>True when no error-level finding was raised.</summary>
    public bool Passed => Findings.All(f => f.Severity != Severity.Error);

    /// <summary>Looks up a metric value; null when absent or not a finite number (tables show "-").</summary>
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value is double v && double.IsFinite(v) ? v : null;
}

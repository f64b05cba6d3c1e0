using Compression.Models.Statistics;

namespace Compression.Core.Gate;

/// <summary>How a run compares with the committed baseline: what result.json, report.md and the GitHub summary show.</summary>
/// <param name="Path">The baseline file.</param>
/// <param name="Status">"compared"; "void" when the test data differs (accuracy not compared); "missing" when the file does not exist yet; "written" after <c>--update-baseline</c>.</param>
/// <param name="Accuracy">The paired accuracy comparison; null when void, missing or written.</param>
/// <param name="Size">The student's size against the baseline's; null when missing or written.</param>
/// <param name="Latency">Per batch size measured in both: the student/teacher latency ratio against the baseline's.</param>
public sealed record BaselineComparison(string Path, string Status, AccuracyDelta? Accuracy, SizeDelta? Size, IReadOnlyList<LatencyDelta> Latency);

/// <summary>Student test accuracy now and in the baseline, compared sample by sample.</summary>
/// <param name="Baseline">The baseline student's accuracy, in [0, 1].</param>
/// <param name="Current">This run's student accuracy, in [0, 1].</param>
/// <param name="Test">McNemar's exact test; its <see cref="McNemarResult.Difference"/> is in points.</param>
/// <param name="TolerancePoints">The allowed drop, in points.</param>
/// <param name="Regressed">Whether the whole interval lies below minus the tolerance.</param>
public sealed record AccuracyDelta(double Baseline, double Current, McNemarResult Test, double TolerancePoints, bool Regressed);

/// <summary>The student's ONNX size now and in the baseline (a deterministic measurement: no interval needed).</summary>
public sealed record SizeDelta(long Baseline, long Current, double Tolerance, bool Regressed);

/// <summary>
/// The student/teacher p50 latency ratio at one batch size, now and in the baseline (means of the
/// runs' ratios), and current / baseline with its interval when both sides have at least two runs.
/// </summary>
/// <param name="Change">exp of Welch's interval on the log ratios: current / baseline; null with fewer than two runs on a side (not gated).</param>
public sealed record LatencyDelta(int BatchSize, double Baseline, double Current, int BaselineRuns, int CurrentRuns, GainInterval? Change, double Tolerance, bool Regressed);

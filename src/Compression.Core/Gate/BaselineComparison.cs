using Compression.Models.Statistics;

namespace Compression.Core.Gate;

/// <summary>How a run compares with the committed baseline: what result.json, report.md and the GitHub summary show.</summary>
/// <param name="Path">The baseline file.</param>
/// <param name="Status">"compared"; "void" when the test data differs (accuracy not compared); "missing" when the file does not exist yet; "written" after <c>--update-baseline</c>.</param>
/// <param name="Accuracy">The paired accuracy comparison; null when void, missing or written.</param>
/// <param name="Size">The student's size against the baseline's; null when missing or written.</param>
/// <param name="Latency">Per batch size the benchmark measured: the student timed beside the baseline's own model.</param>
public sealed record BaselineComparison(string Path, string Status, AccuracyDelta? Accuracy, SizeDelta? Size, IReadOnlyList<LatencyDelta> Latency);

/// <summary>Student test accuracy now and in the baseline, compared sample by sample.</summary>
/// <param name="Baseline">The baseline student's accuracy, in [0, 1].</param>
/// <param name="Current">This run's student accuracy, in [0, 1].</param>
/// <param name="Test">McNemar's exact test; its <see cref="McNemarResult.Difference"/> is in points.</param>
/// <param name="TolerancePoints">The allowed drop, in points.</param>
/// <param name="Regressed">Whether the whole interval lies below minus the tolerance.</param>
/// <param name="Measure">What a per-sample hit is, for messages: "accuracy" (classification: the top-1 class is the label) or
/// "recall@1" (embedding task: the query's nearest document is its own); see <see cref="BaselineMeasure"/>.</param>
public sealed record AccuracyDelta(double Baseline, double Current, McNemarResult Test, double TolerancePoints, bool Regressed, string Measure);

/// <summary>The student's ONNX size now and in the baseline (a deterministic measurement: no interval needed).</summary>
public sealed record SizeDelta(long Baseline, long Current, double Tolerance, bool Regressed);

/// <summary>How the student's latency compares with the baseline model's, timed side by side in this run.</summary>
public enum LatencyVerdict
{
    /// <summary>The whole interval of current / baseline lies at or below 1 + tolerance.</summary>
    Passed,

    /// <summary>The whole interval lies above 1 + tolerance: the student is slower beyond the tolerance (CMP3101).</summary>
    Regressed,

    /// <summary>The interval straddles 1 + tolerance even after the most rounds: the machine was too noisy to tell (CMP3105, a warning).</summary>
    Inconclusive,
}

/// <summary>
/// The student's latency against the baseline's own model at one batch size, both timed in this run,
/// interleaved (<see cref="BaselineLatency"/>): a ratio measured under the same load at the same moment.
/// </summary>
/// <param name="BatchSize">Samples per run.</param>
/// <param name="BaselineMs">Median over rounds of the baseline model's median milliseconds per run.</param>
/// <param name="CurrentMs">The same for this run's student.</param>
/// <param name="Change">Current / baseline with its interval (<see cref="GainMethod.PairedTOverInterleavedRounds"/>; N = rounds).</param>
/// <param name="Tolerance">The allowed relative rise (0.5 = 1.5x).</param>
/// <param name="Verdict">Passed, regressed or inconclusive.</param>
public sealed record LatencyDelta(int BatchSize, double BaselineMs, double CurrentMs, GainInterval Change, double Tolerance, LatencyVerdict Verdict)
{
    /// <summary>Whether the student is surely slower than the tolerance allows.</summary>
    public bool Regressed => Verdict == LatencyVerdict.Regressed;
}

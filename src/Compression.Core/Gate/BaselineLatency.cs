using Compression.Models.Statistics;
using Compression.Onnx;

namespace Compression.Core.Gate;

/// <summary>
/// Judges the student's latency against the baseline's own model, both timed now, interleaved in
/// this process (<see cref="InterleavedTimer"/>), never against a time or a ratio recorded on another
/// machine or at a quieter moment: on a shared CI runner the load changes both models' times alike,
/// so their ratio stays put while absolute times (and even a student/teacher ratio, since a small
/// memory-bound model and a large compute-bound one suffer differently) move by 2x.
/// <para>
/// Rounds of runs give a paired t interval on log(current / baseline). The comparison is sequential:
/// it stops as soon as the interval lies wholly on one side of 1 + tolerance, and adds rounds up to
/// <see cref="MaxRounds"/> while it straddles it; still straddling, the verdict is inconclusive
/// (re-run) rather than a regression the evidence does not show. Stopping early on the first decisive
/// look raises the error rate a little above the nominal one; <see cref="MinRounds"/> keeps the first
/// look from resting on a handful of rounds.
/// </para>
/// </summary>
public static class BaselineLatency
{
    /// <summary>Rounds of the first look, and the step between looks.</summary>
    public const int MinRounds = 8;

    /// <summary>Rounds after which a straddling interval is called inconclusive.</summary>
    public const int MaxRounds = 32;

    /// <summary>Wall time each model gets in one round: long enough that one burst of other work does not make a round.</summary>
    private static readonly TimeSpan s_roundTarget = TimeSpan.FromMilliseconds(40);

    /// <summary>Times <paramref name="baselineModel"/> and <paramref name="studentModel"/> side by side at one batch size and judges the change.</summary>
    /// <exception cref="OnnxFormatException">A model cannot be loaded or run on the other's input.</exception>
    public static LatencyDelta Compare(string baselineModel, string studentModel, int batch, double tolerance, double confidence, int seed, CancellationToken cancellationToken)
    {
        using var timer = new InterleavedTimer(baselineModel, studentModel, batch, seed: seed);
        timer.Warmup(10, cancellationToken);
        int runs = timer.RunsPerRound(s_roundTarget, min: 5, max: 2_000, cancellationToken);
        var baselineLogs = new List<double>(MaxRounds);
        var currentLogs = new List<double>(MaxRounds);
        while (true)
        {
            for (int i = 0; i < MinRounds; i++)
            {
                var (baselineMs, currentMs) = timer.Round(runs, cancellationToken);
                baselineLogs.Add(Math.Log(baselineMs));
                currentLogs.Add(Math.Log(currentMs));
            }
            GainInterval change = Ratio(currentLogs, baselineLogs, confidence);
            LatencyVerdict verdict = Judge(change, tolerance);
            if (verdict != LatencyVerdict.Inconclusive || baselineLogs.Count >= MaxRounds)
            {
                return new LatencyDelta(batch, Math.Exp(Median(baselineLogs)), Math.Exp(Median(currentLogs)), change, tolerance, verdict);
            }
        }
    }

    /// <summary>current / baseline: exp of the paired t interval on the rounds' log times.</summary>
    public static GainInterval Ratio(IReadOnlyList<double> currentLogs, IReadOnlyList<double> baselineLogs, double confidence)
    {
        GainInterval logs = PairedInterval.OverRepeats(currentLogs, baselineLogs, confidence);
        return logs with { Mean = Math.Exp(logs.Mean), Low = Math.Exp(logs.Low), High = Math.Exp(logs.High), Method = GainMethod.PairedTOverInterleavedRounds };
    }

    /// <summary>Regressed when the whole interval lies above 1 + tolerance, passed when it lies at or below, else inconclusive.</summary>
    public static LatencyVerdict Judge(GainInterval change, double tolerance) =>
        change.Low > 1 + tolerance ? LatencyVerdict.Regressed
        : change.High <= 1 + tolerance ? LatencyVerdict.Passed
        : LatencyVerdict.Inconclusive;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

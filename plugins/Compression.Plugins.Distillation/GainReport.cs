using System.Globalization;
using System.Text;
using Compression.Abstractions.Metrics;
using Compression.Models.Statistics;

namespace Compression.Plugins.Distillation;

/// <summary>
/// What distillation gained over scratch, with its uncertainty: over several seeds a t interval whose
/// variance adds the seeds' spread and the test samples' (training and evaluation noise), else a paired
/// bootstrap over test samples (which covers evaluation noise only),
/// plus the share of the scratch-to-teacher gap that distillation closed.
/// </summary>
internal static class GainReport
{
    public static GainInterval Interval(IReadOnlyList<RunOutcome> distilled, IReadOnlyList<RunOutcome> scratch, int seed) =>
        distilled.Count >= 2
            ? SeedAndSampleInterval.Of(distilled.Select(r => r.TestCorrect).ToArray(), scratch.Select(r => r.TestCorrect).ToArray()).Scaled(100)
            : PairedBootstrap.OverSamples(distilled[0].TestCorrect, scratch[0].TestCorrect, seed: seed).Scaled(100);

    public static IEnumerable<Metric> Metrics(GainInterval gain, double? gapRecovered, int repeats)
    {
        yield return new Metric(MetricNames.DistillationGainPoints, gain.Mean, "points");
        yield return new Metric(MetricNames.DistillationGainLowPoints, gain.Low, "points");
        yield return new Metric(MetricNames.DistillationGainHighPoints, gain.High, "points");
        yield return new Metric(MetricNames.DistillationGainRepeats, repeats, "count");
        if (gapRecovered is double recovered)
        {
            yield return new Metric(MetricNames.DistillationGapRecovered, recovered, "ratio");
        }
    }

    /// <summary>
    /// The line under the summary table: "KD gain +x.xx points (95% CI a..b, n=N; ...)"; with one seed
    /// the interval is a bootstrap over test samples, and the line says so. Null when a bound is not finite.
    /// </summary>
    public static string? SummaryLine(GainInterval gain, double? gapRecovered, int repeats)
    {
        if (!double.IsFinite(gain.Mean) || !double.IsFinite(gain.Low) || !double.IsFinite(gain.High))
        {
            return null;
        }
        bool insideNoise = gain.Low <= 0 && gain.High >= 0;
        // Past 100% the student beat its teacher (a weak teacher with many unlabelled samples): say that, not "587% of the gap".
        string recovered = insideNoise || gapRecovered is not double r || !double.IsFinite(r) ? ""
            : r > 1 ? "; the distilled student passes its teacher"
            : string.Create(CultureInfo.InvariantCulture, $"; {r * 100:0}% of the scratch-to-teacher gap closed");
        string noise = repeats >= 2 ? "over seeds and test samples" : "bootstrap over test samples: evaluation noise only";
        string verdict = insideNoise ? "; inside the noise" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"KD gain {gain.Mean:+0.00;-0.00} points (95% CI {gain.Low:+0.00;-0.00}..{gain.High:+0.00;-0.00}, n={repeats}; {noise}{verdict}){recovered}");
    }

    public static void Append(StringBuilder report, GainInterval gain, double? gapRecovered, double teacherAccuracy, double scratchAccuracy, int repeats)
    {
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"**KD gain {gain.Describe()}** on the test split, distilled minus scratch in percentage points.");
        report.AppendLine(repeats >= 2
            ? $"The interval adds the spread of the {repeats} seeds to the noise of the test samples (the same for every seed): it covers training noise and evaluation noise."
            : "With one seed the interval is a paired bootstrap over test samples: it covers evaluation noise only, not training noise; set `repeats` to 3 or more for that.");
        bool insideNoise = gain.Low <= 0 && gain.High >= 0;
        if (insideNoise)
        {
            report.AppendLine("The interval contains zero: this run does not show that distillation helped (or hurt).");
        }
        else if (gapRecovered is double recovered)
        {
            string outcome = recovered > 1
                ? "the distilled student passes its teacher"
                : string.Create(CultureInfo.InvariantCulture, $"distillation closed {recovered * 100:0}% of that gap");
            report.AppendLine(CultureInfo.InvariantCulture, $"Teacher {teacherAccuracy * 100:0.00}%, scratch {scratchAccuracy * 100:0.00}% (mean): {outcome}.");
        }
        report.AppendLine("The scratch student trains on the labelled samples only, for as many optimisation steps as the distilled one.");
    }
}

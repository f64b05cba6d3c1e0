using System.Globalization;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Models.Statistics;

namespace Compression.Core.Gate;

/// <summary>
/// Compares a run with the committed baseline and reports a regression (CMP3101) only when the
/// evidence says so at the configured confidence: accuracy by McNemar's exact test over the same
/// test samples (the whole interval of the difference below minus the tolerance), size exactly,
/// latency by timing the baseline's own model beside the student (<see cref="BaselineLatency"/>). A different test set voids the accuracy
/// comparison (CMP3102, a warning) instead of comparing unpaired numbers.
/// </summary>
public static class BaselineComparer
{
    /// <param name="measure">What a per-sample hit is (<see cref="BaselineMeasure"/>), for the messages.</param>
    public static (BaselineComparison Comparison, IReadOnlyList<Finding> Findings) Compare(
        string path, Baseline baseline, Baseline current, BaselineConfig settings, JsonLocationIndex locations, string measure)
    {
        var findings = new List<Finding>();
        AccuracyDelta? accuracy = null;
        string status = "compared";
        if (!string.Equals(baseline.TestDataSha256, current.TestDataSha256, StringComparison.OrdinalIgnoreCase)
            || baseline.StudentCorrect.Length != current.StudentCorrect.Length)
        {
            status = "void";
            findings.Add(new Finding(Severity.Warning, ErrorCodes.BaselineVoid,
                $"the {measure} comparison with the baseline {path} is void: its test data ({Short(baseline.TestDataSha256)}, {N(baseline.StudentCorrect.Length)} samples) is not this run's ({Short(current.TestDataSha256)}, {N(current.StudentCorrect.Length)} samples), so no sample can be paired and no regression judged; run `compress run --update-baseline` on the new test data and commit the file",
                locations.Locate("baseline.path")));
        }
        else
        {
            accuracy = CompareAccuracy(baseline, current, settings, measure);
            if (accuracy.Regressed)
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.BaselineRegression, Describe(accuracy, settings.Confidence),
                    locations.Locate("baseline.accuracyTolerancePoints")));
            }
        }

        var size = new SizeDelta(baseline.StudentModelBytes, current.StudentModelBytes, settings.SizeTolerance,
            current.StudentModelBytes > baseline.StudentModelBytes * (1 + settings.SizeTolerance));
        if (size.Regressed)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.BaselineRegression,
                $"student model grew to {N(size.Current)} bytes from the baseline's {N(size.Baseline)} bytes, more than {(settings.SizeTolerance * 100).ToString("0.##", CultureInfo.InvariantCulture)}%",
                locations.Locate("baseline.sizeTolerance")));
        }

        return (new BaselineComparison(path, status, accuracy, size, []), findings);
    }

    /// <summary>
    /// The findings of the latency comparison (<see cref="BaselineLatency"/>): a regression is an
    /// error (CMP3101), an inconclusive comparison a warning (CMP3105) that asks for a re-run.
    /// </summary>
    public static IEnumerable<Finding> LatencyFindings(IEnumerable<LatencyDelta> latency, string path, JsonLocationIndex locations)
    {
        foreach (LatencyDelta delta in latency)
        {
            GainInterval change = delta.Change;
            string measured = string.Create(CultureInfo.InvariantCulture,
                $"{change.Mean:0.00}x ({change.Confidence * 100:0.##}% CI {change.Low:0.00}x..{change.High:0.00}x, {change.MethodDescription}: {change.N} rounds of the two models timed side by side)");
            if (delta.Verdict == LatencyVerdict.Regressed)
            {
                yield return new Finding(Severity.Error, ErrorCodes.BaselineRegression,
                    string.Create(CultureInfo.InvariantCulture,
                        $"student latency at batch {delta.BatchSize} rose to {delta.CurrentMs:0.000} ms from the baseline model's {delta.BaselineMs:0.000} ms, both timed now: {measured}, wholly above the tolerance of {1 + delta.Tolerance:0.00}x"),
                    locations.Locate("baseline.latencyTolerance"));
            }
            else if (delta.Verdict == LatencyVerdict.Inconclusive)
            {
                yield return new Finding(Severity.Warning, ErrorCodes.BaselineLatencyInconclusive,
                    string.Create(CultureInfo.InvariantCulture,
                        $"the latency comparison with the baseline {path} at batch {delta.BatchSize} is inconclusive: {measured} straddles the tolerance of {1 + delta.Tolerance:0.00}x, so the machine was too noisy to tell; not judged a regression: re-run the build, ideally on a quieter machine"),
                    locations.Locate("baseline.latencyTolerance"));
            }
        }
    }

    private static AccuracyDelta CompareAccuracy(Baseline baseline, Baseline current, BaselineConfig settings, string measure)
    {
        McNemarResult test = McNemarExact.Compare(current.StudentCorrect, baseline.StudentCorrect, settings.Confidence);
        test = test with { Difference = test.Difference.Scaled(100) };
        return new AccuracyDelta(baseline.StudentAccuracy, current.StudentAccuracy, test, settings.AccuracyTolerancePoints,
            test.Difference.High < -settings.AccuracyTolerancePoints, measure);
    }

    /// <summary>The regression message: both accuracies, the interval, the counts behind it and the tolerance.</summary>
    public static string Describe(AccuracyDelta accuracy, double confidence)
    {
        McNemarResult t = accuracy.Test;
        string p = t.PValue < 0.0001 ? "p < 0.0001" : string.Create(CultureInfo.InvariantCulture, $"p = {t.PValue:0.0000}");
        return string.Create(CultureInfo.InvariantCulture,
            $"student {accuracy.Measure} {accuracy.Current * 100:0.00}% regressed from the baseline's {accuracy.Baseline * 100:0.00}%: {t.Difference.Describe()} by McNemar's exact test over the same test samples ({t.OnlyCurrent} now right that the baseline got wrong, {t.OnlyBaseline} now wrong that it got right; {p}); the whole interval lies below -{accuracy.TolerancePoints:0.##} points, the tolerance");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string sha) => sha.Length > 12 ? $"sha256 {sha[..12]}" : $"sha256 {sha}";
}

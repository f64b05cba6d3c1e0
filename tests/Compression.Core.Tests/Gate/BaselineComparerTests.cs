using System.Text;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;
using Compression.Models.Statistics;

namespace Compression.Core.Tests.Gate;

public class BaselineComparerTests
{
    private static readonly JsonLocationIndex s_locations = JsonLocationIndex.Build("/c.json", Encoding.UTF8.GetBytes("""
        {
          "baseline": { "path": "b.json", "accuracyTolerancePoints": 0.5, "latencyTolerance": 0.1 }
        }
        """));

    /// <summary>2,004 samples; the first <paramref name="right"/> right, the rest wrong, then the listed ones flipped.</summary>
    private static bool[] Correct(int right, params int[] flipped)
    {
        var correct = Enumerable.Range(0, 2004).Select(i => i < right).ToArray();
        foreach (int i in flipped)
        {
            correct[i] = !correct[i];
        }
        return correct;
    }

    private static Baseline Run(bool[] correct, string sha = "same", long bytes = 20_000) => new(sha, correct, bytes, Model: null);

    [Fact]
    public void A_student_worse_on_80_samples_and_better_on_10_is_a_regression_with_its_interval_at_the_tolerance_line()
    {
        var baseline = Run(Correct(1940));
        var current = Run(Correct(1940, [.. Enumerable.Range(0, 80), .. Enumerable.Range(1950, 10)]));

        var (comparison, findings) = BaselineComparer.Compare("b.json", baseline, current, new BaselineConfig(), s_locations, BaselineMeasure.Accuracy);

        Finding finding = Assert.Single(findings);
        Assert.Equal((ErrorCodes.BaselineRegression, Severity.Error, 2), (finding.Code, finding.Severity, finding.Location!.Line));
        Assert.Matches(@"^student accuracy 93\.31% regressed from the baseline's 96\.81%: -3\.49 points \(95% CI -4\.\d\d\.\.-2\.\d\d, n=2004\) by McNemar's exact test over the same test samples \(10 now right that the baseline got wrong, 80 now wrong that it got right; p < 0\.0001\); the whole interval lies below -0\.5 points, the tolerance$", finding.Message);
        Assert.True(comparison.Accuracy!.Regressed);
        Assert.Equal("compared", comparison.Status);
    }

    [Fact]
    public void Under_the_embedding_task_the_hits_are_named_recall_at_1_in_the_regression_and_the_void_warning()
    {
        var baseline = Run(Correct(1940));
        var current = Run(Correct(1940, [.. Enumerable.Range(0, 80)]));
        string measure = BaselineMeasure.For("embedding");

        var (comparison, findings) = BaselineComparer.Compare("b.json", baseline, current, new BaselineConfig(), s_locations, measure);
        var (_, voided) = BaselineComparer.Compare("b.json", baseline, Run(Correct(1940), sha: "other"), new BaselineConfig(), s_locations, measure);

        Assert.StartsWith("student recall@1 92.81% regressed from the baseline's 96.81%", Assert.Single(findings).Message);
        Assert.Equal("recall@1", comparison.Accuracy!.Measure);
        Assert.StartsWith("the recall@1 comparison with the baseline b.json is void", Assert.Single(voided).Message);
        Assert.Equal(BaselineMeasure.Accuracy, BaselineMeasure.For("classification"));
    }

    [Fact]
    public void A_student_that_differs_on_many_samples_but_evenly_is_not_a_regression()
    {
        // Another seed: 40 samples lost, 35 gained; the interval straddles zero.
        var baseline = Run(Correct(1940));
        var current = Run(Correct(1940, [.. Enumerable.Range(0, 40), .. Enumerable.Range(1950, 35)]));

        var (comparison, findings) = BaselineComparer.Compare("b.json", baseline, current, new BaselineConfig(), s_locations, BaselineMeasure.Accuracy);

        Assert.Empty(findings);
        Assert.False(comparison.Accuracy!.Regressed);
        Assert.True(comparison.Accuracy.Test.Difference.Low < 0 && comparison.Accuracy.Test.Difference.High > 0);
    }

    [Fact]
    public void A_significant_drop_inside_the_tolerance_is_not_a_regression()
    {
        // 30 lost, 0 gained of 2,004: -1.50 points, surely worse, but with a 3-point tolerance allowed.
        var baseline = Run(Correct(1940));
        var current = Run(Correct(1940, [.. Enumerable.Range(0, 30)]));
        var (comparison, findings) = BaselineComparer.Compare("b.json", baseline, current, new BaselineConfig { AccuracyTolerancePoints = 3 }, s_locations, BaselineMeasure.Accuracy);
        Assert.Empty(findings);
        Assert.True(comparison.Accuracy!.Test.Difference.High < 0);
    }

    [Fact]
    public void Different_test_data_voids_the_accuracy_comparison_with_a_warning_at_the_baseline_path()
    {
        var baseline = Run(Correct(1940), sha: "aaaaaaaaaaaaaaaaaaaa");
        var current = Run(Correct(100), sha: "bbbbbbbbbbbbbbbbbbbb");

        var (comparison, findings) = BaselineComparer.Compare("b.json", baseline, current, new BaselineConfig(), s_locations, BaselineMeasure.Accuracy);

        Finding finding = Assert.Single(findings);
        Assert.Equal((ErrorCodes.BaselineVoid, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("the accuracy comparison with the baseline b.json is void: its test data (sha256 aaaaaaaaaaaa, 2,004 samples) is not this run's (sha256 bbbbbbbbbbbb, 2,004 samples)", finding.Message);
        Assert.Equal(("void", null), (comparison.Status, comparison.Accuracy));
    }

    [Fact]
    public void Growth_beyond_the_size_tolerance_is_a_regression()
    {
        var (comparison, findings) = BaselineComparer.Compare("b.json", Run(Correct(1940)), Run(Correct(1940), bytes: 22_000), new BaselineConfig { SizeTolerance = 0.05 }, s_locations, BaselineMeasure.Accuracy);
        Assert.Contains("student model grew to 22,000 bytes from the baseline's 20,000 bytes, more than 5%", Assert.Single(findings).Message);
        Assert.True(comparison.Size!.Regressed);
    }

    [Fact]
    public void A_latency_regression_is_CMP3101_and_an_inconclusive_comparison_a_CMP3105_warning_at_the_tolerance()
    {
        LatencyDelta Delta(int batch, double low, double high, LatencyVerdict verdict) =>
            new(batch, 0.2, 0.2 * (low + high) / 2, new GainInterval((low + high) / 2, low, high, 8, 0.95, GainMethod.PairedTOverInterleavedRounds), 0.1, verdict);

        var findings = BaselineComparer.LatencyFindings(
            [Delta(1, 1.9, 2.1, LatencyVerdict.Regressed), Delta(64, 1.0, 1.2, LatencyVerdict.Inconclusive), Delta(128, 0.9, 1.05, LatencyVerdict.Passed)],
            "b.json", s_locations).ToList();

        Assert.Equal(2, findings.Count);
        Assert.Equal((ErrorCodes.BaselineRegression, Severity.Error, 2), (findings[0].Code, findings[0].Severity, findings[0].Location!.Line));
        Assert.Equal("student latency at batch 1 rose to 0.400 ms from the baseline model's 0.200 ms, both timed now: 2.00x (95% CI 1.90x..2.10x, paired t over interleaved rounds: 8 rounds of the two models timed side by side), wholly above the tolerance of 1.10x", findings[0].Message);
        Assert.Equal((ErrorCodes.BaselineLatencyInconclusive, Severity.Warning), (findings[1].Code, findings[1].Severity));
        Assert.StartsWith("the latency comparison with the baseline b.json at batch 64 is inconclusive: 1.10x (95% CI 1.00x..1.20x", findings[1].Message);
        Assert.Contains("re-run the build", findings[1].Message);
    }
}

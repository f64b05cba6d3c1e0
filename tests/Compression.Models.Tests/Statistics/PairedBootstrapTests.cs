using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class PairedBootstrapTests
{
    [Fact]
    public void Identical_correctness_gives_a_zero_width_interval_at_zero()
    {
        bool[] correct = Correctness(both: 700, onlyTreated: 0, onlyBaseline: 0, neither: 300);
        var interval = PairedBootstrap.OverSamples(correct, correct);
        Assert.Equal(0, interval.Mean);
        Assert.Equal(0, interval.Low);
        Assert.Equal(0, interval.High);
        Assert.Equal(1000, interval.N);
        Assert.Equal(GainMethod.PairedBootstrapOverTestSamples, interval.Method);
    }

    [Fact]
    public void Treated_right_on_100_more_of_1000_and_never_worse_lies_above_zero_around_ten_percent()
    {
        // 100 treated-only samples out of 1000 and no baseline-only ones: the observed gain is 0.10.
        // A resample's gain is Binomial(1000, 0.1) / 1000: sd sqrt(1000 * 0.1 * 0.9) / 1000 = 0.0095,
        // so the 95% interval is about 0.10 ± 0.019, i.e. [0.081, 0.119].
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 100, onlyBaseline: 0, neither: 200);
        var interval = PairedBootstrap.OverSamples(treated, baseline);

        Assert.Equal(0.10, interval.Mean, precision: 12);
        Assert.True(interval.Low > 0, $"low {interval.Low}");
        Assert.InRange(0.10, interval.Low, interval.High);
        Assert.Equal(0.081, interval.Low, tolerance: 0.003);
        Assert.Equal(0.119, interval.High, tolerance: 0.003);
    }

    [Fact]
    public void A_gain_with_losses_too_is_centred_on_the_net_gain()
    {
        // 60 treated-only and 40 baseline-only of 1000: observed 0.02. Per draw the gain is +1 with
        // probability 0.06, -1 with 0.04: variance 0.1 - 0.02^2 = 0.0996 per draw, sd of the mean
        // sqrt(0.0996 / 1000) = 0.00998, so the 95% interval is about [0.0004, 0.0396].
        var (treated, baseline) = Pairs(both: 800, onlyTreated: 60, onlyBaseline: 40, neither: 100);
        var interval = PairedBootstrap.OverSamples(treated, baseline);

        Assert.Equal(0.02, interval.Mean, precision: 12);
        Assert.Equal(0.0004, interval.Low, tolerance: 0.003);
        Assert.Equal(0.0396, interval.High, tolerance: 0.003);
    }

    [Fact]
    public void Mostly_discordant_samples_give_the_same_interval_as_the_binomial_predicts()
    {
        // 300 treated-only and 200 baseline-only of 1000 (the path that draws every index):
        // per draw +1 with 0.3, -1 with 0.2: variance 0.5 - 0.01 = 0.49, sd of the mean
        // sqrt(0.49 / 1000) = 0.02214, so the 95% interval is about 0.1 ± 0.0434 = [0.0566, 0.1434].
        var (treated, baseline) = Pairs(both: 300, onlyTreated: 300, onlyBaseline: 200, neither: 200);
        var interval = PairedBootstrap.OverSamples(treated, baseline);

        Assert.Equal(0.1, interval.Mean, precision: 12);
        Assert.Equal(0.0566, interval.Low, tolerance: 0.004);
        Assert.Equal(0.1434, interval.High, tolerance: 0.004);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 100, onlyBaseline: 30, neither: 170);
        var first = PairedBootstrap.OverSamples(treated, baseline, seed: 7);
        var second = PairedBootstrap.OverSamples(treated, baseline, seed: 7);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seeds_move_the_bounds_but_both_contain_the_observed_gain()
    {
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 100, onlyBaseline: 30, neither: 170);
        var first = PairedBootstrap.OverSamples(treated, baseline, iterations: 2000, seed: 1);
        var second = PairedBootstrap.OverSamples(treated, baseline, iterations: 2000, seed: 2);

        Assert.NotEqual((first.Low, first.High), (second.Low, second.High));
        Assert.Equal(first.Mean, second.Mean);
        Assert.InRange(0.07, first.Low, first.High);
        Assert.InRange(0.07, second.Low, second.High);
    }

    [Fact]
    public void Four_times_the_data_halves_the_width()
    {
        // Width scales like 1/sqrt(n): replicating the test set 4x should give about half the width.
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 60, onlyBaseline: 20, neither: 220);
        var once = PairedBootstrap.OverSamples(treated, baseline, seed: 3);
        var four = PairedBootstrap.OverSamples(Repeat(treated, 4), Repeat(baseline, 4), seed: 3);

        Assert.Equal(once.Mean, four.Mean, precision: 12);
        Assert.Equal(4000, four.N);
        double ratio = (four.High - four.Low) / (once.High - once.Low);
        Assert.InRange(ratio, 0.42, 0.58);
    }

    [Fact]
    public void The_result_is_a_fraction_that_scales_to_points()
    {
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 100, onlyBaseline: 0, neither: 200);
        var points = PairedBootstrap.OverSamples(treated, baseline).Scaled(100);
        Assert.Equal(10, points.Mean, precision: 9);
        Assert.StartsWith("+10.00 points (95% CI +8.", points.Describe());
        Assert.EndsWith(", n=1000)", points.Describe());
    }

    [Fact]
    public void Spans_of_different_lengths_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedBootstrap.OverSamples(new bool[10], new bool[9]));
        Assert.Contains("10 treated and 9 baseline", error.Message);
    }

    [Fact]
    public void An_empty_test_set_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.OverSamples([], []));
    }

    [Fact]
    public void Zero_iterations_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.OverSamples(new bool[3], new bool[3], iterations: 0));
    }

    [Fact]
    public void Scores_that_differ_by_a_constant_give_that_constant_as_the_whole_interval()
    {
        double[] baseline = [.. Enumerable.Range(0, 200).Select(i => 1.0 / (1 + (i % 7)))];
        double[] treated = [.. baseline.Select(b => b + 0.125)];

        var interval = PairedBootstrap.OverScores(treated, baseline, 1000, 0, 0.95);

        Assert.Equal(0.125, interval.Mean, 1e-12);
        Assert.Equal(0.125, interval.Low, 1e-12);
        Assert.Equal(0.125, interval.High, 1e-12);
        Assert.Equal(200, interval.N);
    }

    [Fact]
    public void Differences_of_plus_and_minus_one_give_the_normal_width_around_zero()
    {
        // Half +1, half -1 over 1000 samples: mean 0, sd of a resample's mean 1 / sqrt(1000) = 0.0316, so about ±0.062.
        double[] treated = [.. Enumerable.Range(0, 1000).Select(i => (double)(i % 2))];
        double[] baseline = [.. treated.Select(t => 1 - t)];

        var interval = PairedBootstrap.OverScores(treated, baseline, 10_000, 3, 0.95);

        Assert.Equal(0, interval.Mean, 1e-12);
        Assert.Equal(-0.062, interval.Low, 0.004);
        Assert.Equal(0.062, interval.High, 0.004);
    }

    [Fact]
    public void Zero_one_scores_give_the_interval_the_correctness_bootstrap_gives()
    {
        var (treated, baseline) = Pairs(both: 700, onlyTreated: 100, onlyBaseline: 0, neither: 200);
        var overSamples = PairedBootstrap.OverSamples(treated, baseline);

        var overScores = PairedBootstrap.OverScores(treated.Select(t => t ? 1.0 : 0).ToArray(), baseline.Select(b => b ? 1.0 : 0).ToArray(), 10_000, 0, 0.95);

        Assert.Equal(overSamples.Mean, overScores.Mean, 1e-12);
        Assert.Equal(overSamples.Low, overScores.Low, 0.003);
        Assert.Equal(overSamples.High, overScores.High, 0.003);
    }

    [Fact]
    public void Score_intervals_are_reproducible_for_a_seed()
    {
        double[] treated = [.. Enumerable.Range(0, 50).Select(i => Math.Sin(i))];
        double[] baseline = [.. Enumerable.Range(0, 50).Select(i => Math.Cos(i))];

        Assert.Equal(PairedBootstrap.OverScores(treated, baseline, 500, 11, 0.9), PairedBootstrap.OverScores(treated, baseline, 500, 11, 0.9));
        Assert.NotEqual(PairedBootstrap.OverScores(treated, baseline, 500, 11, 0.9), PairedBootstrap.OverScores(treated, baseline, 500, 12, 0.9));
    }

    [Fact]
    public void A_non_finite_score_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedBootstrap.OverScores([1, double.NaN], [0, 0], 10, 0, 0.95));
        Assert.Contains("Sample 1 has a non-finite score", error.Message);
    }

    private static bool[] Correctness(int both, int onlyTreated, int onlyBaseline, int neither) =>
        Pairs(both, onlyTreated, onlyBaseline, neither).Treated;

    /// <summary>Per-sample correctness of two models, interleaved so no kind of sample sits in one block.</summary>
    private static (bool[] Treated, bool[] Baseline) Pairs(int both, int onlyTreated, int onlyBaseline, int neither)
    {
        var kinds = new List<(bool, bool)>();
        kinds.AddRange(Enumerable.Repeat((true, true), both));
        kinds.AddRange(Enumerable.Repeat((true, false), onlyTreated));
        kinds.AddRange(Enumerable.Repeat((false, true), onlyBaseline));
        kinds.AddRange(Enumerable.Repeat((false, false), neither));
        // A fixed permutation: i * 7919 mod count visits every index when 7919 is coprime to count.
        int count = kinds.Count;
        var shuffled = Enumerable.Range(0, count).Select(i => kinds[(int)((long)i * 7919 % count)]).ToArray();
        return (shuffled.Select(k => k.Item1).ToArray(), shuffled.Select(k => k.Item2).ToArray());
    }

    private static bool[] Repeat(bool[] values, int times) =>
        Enumerable.Repeat(values, times).SelectMany(v => v).ToArray();
}

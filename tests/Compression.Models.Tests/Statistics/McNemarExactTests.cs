using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class McNemarExactTests
{
    [Fact]
    public void Two_against_ten_discordant_samples_give_the_exact_binomial_p_and_clopper_pearson_bounds()
    {
        // Binomial(12, 1/2): P(X <= 2) = (1 + 12 + 66) / 4096, so p = 158 / 4096. Clopper-Pearson for
        // 2 of 12 at 95% is [0.020867, 0.484142] (R: binom.test(2, 12)); the accuracy difference is
        // 12/1000 * (2 pi - 1).
        var result = McNemarExact.FromCounts(onlyCurrent: 2, onlyBaseline: 10, samples: 1000);

        Assert.Equal(158.0 / 4096, result.PValue, precision: 10);
        Assert.Equal(-0.008, result.Difference.Mean, precision: 12);
        Assert.Equal(0.012 * ((2 * 0.020867) - 1), result.Difference.Low, tolerance: 1e-5);
        Assert.Equal(0.012 * ((2 * 0.484142) - 1), result.Difference.High, tolerance: 1e-5);
        Assert.Equal(GainMethod.McNemarExactOverTestSamples, result.Difference.Method);
    }

    [Fact]
    public void Agreement_on_every_sample_is_no_difference_with_p_one()
    {
        bool[] correct = [.. Enumerable.Range(0, 50).Select(i => i % 3 != 0)];
        var result = McNemarExact.Compare(correct, correct);
        Assert.Equal(1, result.PValue);
        Assert.Equal(0, result.Difference.Low);
        Assert.Equal(0, result.Difference.High);
        Assert.Equal(50, result.Samples);
    }

    [Fact]
    public void Counts_come_from_the_pairs_and_a_balanced_split_is_not_significant()
    {
        // 30 only-current and 30 only-baseline of 2004: p = 1 and the interval straddles zero.
        var (current, baseline) = Pairs(both: 1800, onlyCurrent: 30, onlyBaseline: 30, neither: 144);
        var result = McNemarExact.Compare(current, baseline);
        Assert.Equal((30, 30, 2004), (result.OnlyCurrent, result.OnlyBaseline, result.Samples));
        Assert.Equal(1, result.PValue, precision: 12);
        Assert.True(result.Difference.Low < 0 && result.Difference.High > 0, result.Difference.ToString());
    }

    [Fact]
    public void The_exact_interval_agrees_with_the_paired_bootstrap_on_a_large_test_set()
    {
        // Two independent routes to the same question should land within a few tenths of a point.
        var (current, baseline) = Pairs(both: 1700, onlyCurrent: 40, onlyBaseline: 110, neither: 154);
        var exact = McNemarExact.Compare(current, baseline).Difference;
        var bootstrap = PairedBootstrap.OverSamples(current, baseline, seed: 5);

        Assert.Equal(bootstrap.Mean, exact.Mean, precision: 12);
        Assert.Equal(bootstrap.Low, exact.Low, tolerance: 0.003);
        Assert.Equal(bootstrap.High, exact.High, tolerance: 0.003);
        Assert.True(exact.High < 0);
    }

    [Fact]
    public void Unpaired_or_empty_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => McNemarExact.Compare(new bool[3], new bool[2]));
        Assert.Throws<ArgumentException>(() => McNemarExact.Compare([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => McNemarExact.FromCounts(5, 5, 9));
    }

    private static (bool[] Current, bool[] Baseline) Pairs(int both, int onlyCurrent, int onlyBaseline, int neither)
    {
        var kinds = new List<(bool, bool)>();
        kinds.AddRange(Enumerable.Repeat((true, true), both));
        kinds.AddRange(Enumerable.Repeat((true, false), onlyCurrent));
        kinds.AddRange(Enumerable.Repeat((false, true), onlyBaseline));
        kinds.AddRange(Enumerable.Repeat((false, false), neither));
        return ([.. kinds.Select(k => k.Item1)], [.. kinds.Select(k => k.Item2)]);
    }
}

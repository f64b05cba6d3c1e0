using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class SeedAndSampleIntervalTests
{
    /// <summary>120 test samples, 3 seeds: each distilled student is right on sample 0 where its scratch twin is wrong, all else equal.</summary>
    private static (bool[][] Distilled, bool[][] Scratch) SameSingleSampleEverySeed()
    {
        bool[] scratch = Enumerable.Range(0, 120).Select(i => i % 4 != 0).ToArray();
        bool[] distilled = (bool[])scratch.Clone();
        distilled[0] = true;
        return ([distilled, distilled, distilled], [scratch, scratch, scratch]);
    }

    [Fact]
    public void Seeds_that_all_differ_by_the_same_sample_still_get_the_test_samples_noise()
    {
        var (distilled, scratch) = SameSingleSampleEverySeed();

        var interval = SeedAndSampleInterval.Of(distilled, scratch).Scaled(100);

        // Seeds' part is zero; the test samples' part: d = 1 on one of 120 samples,
        // s_d^2 = (1 - 1/120) / 119 = 0.0083333, se = sqrt(s_d^2 / 120) = 0.0083333 (0.83 points);
        // df = 119, t = 1.98010, half width 1.65 points.
        Assert.Equal(0.8333, interval.Mean, tolerance: 1e-3);
        Assert.Equal(0.8333 - 1.6501, interval.Low, tolerance: 1e-3);
        Assert.Equal(0.8333 + 1.6501, interval.High, tolerance: 1e-3);
        Assert.Equal(3, interval.N);
        Assert.Equal(GainMethod.PairedTOverSeedsAndTestSamples, interval.Method);
        Assert.False(interval.IsAboveZero);
    }

    [Fact]
    public void The_interval_is_at_least_as_wide_as_the_seeds_alone()
    {
        // Seeds gain 2, 1 and 3 samples of 100 over scratch, on different samples.
        bool[] scratch = new bool[100];
        bool[][] distilled = [Gains(scratch, 0, 2), Gains(scratch, 10, 1), Gains(scratch, 20, 3)];

        var combined = SeedAndSampleInterval.Of(distilled, [scratch, scratch, scratch]).Scaled(100);
        var seedsOnly = PairedInterval.OverRepeats([2.0, 1.0, 3.0], [0.0, 0.0, 0.0]);

        Assert.Equal(seedsOnly.Mean, combined.Mean, tolerance: 1e-9);
        Assert.True(combined.High - combined.Low >= seedsOnly.High - seedsOnly.Low - 1e-9,
            $"combined {combined} should be at least as wide as seeds only {seedsOnly}");
    }

    [Fact]
    public void Test_sets_of_different_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SeedAndSampleInterval.Of([new bool[3], new bool[4]], [new bool[3], new bool[4]]));
        Assert.Throws<ArgumentException>(() => SeedAndSampleInterval.Of([new bool[3]], [new bool[3]]));
    }

    private static bool[] Gains(bool[] scratch, int from, int count)
    {
        bool[] copy = (bool[])scratch.Clone();
        for (int i = from; i < from + count; i++)
        {
            copy[i] = true;
        }
        return copy;
    }
}

using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class PairedIntervalTests
{
    [Fact]
    public void Three_seeds_give_the_hand_computed_t_interval()
    {
        // Accuracy in points. Differences: 2, 1, 2 -> mean 5/3 = 1.66667.
        // Deviations 1/3, -2/3, 1/3 -> sum of squares 6/9; sample variance (6/9) / 2 = 1/3; sd 0.57735.
        // se = 0.57735 / sqrt(3) = 0.33333; t(0.975, 2) = 4.30265; half width 1.43422.
        // CI = [1.66667 - 1.43422, 1.66667 + 1.43422] = [0.23245, 3.10088].
        var interval = PairedInterval.OverRepeats([97, 96, 98], [95, 95, 96]);

        Assert.Equal(1.66667, interval.Mean, tolerance: 1e-5);
        Assert.Equal(0.23245, interval.Low, tolerance: 1e-4);
        Assert.Equal(3.10088, interval.High, tolerance: 1e-4);
        Assert.Equal(3, interval.N);
        Assert.Equal(0.95, interval.Confidence);
        Assert.Equal(GainMethod.PairedTOverSeeds, interval.Method);
        Assert.True(interval.IsAboveZero);
    }

    [Fact]
    public void Fractions_scaled_by_100_give_the_same_interval_in_points()
    {
        // The same runs as accuracy fractions: differences 0.02, 0.01, 0.02 -> CI [0.0023245, 0.0310088].
        var fractions = PairedInterval.OverRepeats([0.97, 0.96, 0.98], [0.95, 0.95, 0.96]);
        Assert.Equal(0.0023245, fractions.Low, tolerance: 1e-6);
        Assert.Equal(0.0310088, fractions.High, tolerance: 1e-6);

        var points = fractions.Scaled(100);
        Assert.Equal(1.66667, points.Mean, tolerance: 1e-4);
        Assert.Equal(0.23245, points.Low, tolerance: 1e-4);
        Assert.Equal(3.10088, points.High, tolerance: 1e-4);
        Assert.Equal("+1.67 points (95% CI +0.23..+3.10, n=3)", points.Describe());
    }

    [Fact]
    public void A_lower_confidence_gives_a_narrower_interval()
    {
        // Same runs at 90%: t(0.95, 2) = 2.91999, half width 0.97333 -> [0.69333, 2.64000].
        var interval = PairedInterval.OverRepeats([97, 96, 98], [95, 95, 96], confidence: 0.90);
        Assert.Equal(0.69333, interval.Low, tolerance: 1e-4);
        Assert.Equal(2.64000, interval.High, tolerance: 1e-4);
    }

    [Fact]
    public void Identical_runs_give_a_zero_width_interval_at_zero()
    {
        var interval = PairedInterval.OverRepeats([91.5, 92.25, 90], [91.5, 92.25, 90]);
        Assert.Equal(0, interval.Mean);
        Assert.Equal(0, interval.Low);
        Assert.Equal(0, interval.High);
    }

    [Fact]
    public void Equal_differences_give_low_equal_to_high_equal_to_the_mean()
    {
        // Every difference is exactly 1.5 (all values are exact in binary): variance 0.
        var interval = PairedInterval.OverRepeats([91.5, 92.5, 90], [90, 91, 88.5]);
        Assert.Equal(1.5, interval.Mean);
        Assert.Equal(1.5, interval.Low);
        Assert.Equal(1.5, interval.High);
    }

    [Fact]
    public void A_single_run_is_rejected_because_its_spread_is_unknown()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedInterval.OverRepeats([97], [95]));
        Assert.Contains("at least 2", error.Message);
    }

    [Fact]
    public void Lists_of_different_lengths_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedInterval.OverRepeats([97, 96, 98], [95, 95]));
        Assert.Contains("3 treated and 2 baseline", error.Message);
    }

    [Fact]
    public void A_value_that_is_not_finite_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PairedInterval.OverRepeats([97, double.NaN], [95, 95]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(95.0)]
    public void A_confidence_outside_the_open_unit_interval_is_rejected(double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedInterval.OverRepeats([97, 96], [95, 95], confidence));
    }
}

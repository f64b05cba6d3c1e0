using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class WelchIntervalTests
{
    [Fact]
    public void Matches_the_textbook_welch_interval()
    {
        // R: t.test(c(1, 2, 3), c(4, 5, 6, 7)): difference -3.5, df 4.959, 95% CI about -5.73..-1.27.
        var interval = WelchInterval.OfMeanDifference([1, 2, 3], [4, 5, 6, 7]);
        Assert.Equal(-3.5, interval.Mean, precision: 12);
        Assert.Equal(-5.73, interval.Low, tolerance: 0.01);
        Assert.Equal(-1.27, interval.High, tolerance: 0.01);
        Assert.Equal(GainMethod.WelchTOverRuns, interval.Method);
        Assert.Equal(3, interval.N);
    }

    [Fact]
    public void Runs_without_spread_give_a_point()
    {
        var interval = WelchInterval.OfMeanDifference([2, 2], [1, 1, 1]);
        Assert.Equal((1.0, 1.0, 1.0), (interval.Mean, interval.Low, interval.High));
    }

    [Fact]
    public void A_single_run_cannot_give_an_interval()
    {
        var error = Assert.Throws<ArgumentException>(() => WelchInterval.OfMeanDifference([1], [1, 2]));
        Assert.Contains("at least 2 runs", error.Message);
        Assert.Throws<ArgumentException>(() => WelchInterval.OfMeanDifference([1, double.NaN], [1, 2]));
    }
}

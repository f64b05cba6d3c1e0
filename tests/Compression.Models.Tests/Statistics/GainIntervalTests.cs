using System.Globalization;
using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class GainIntervalTests
{
    [Fact]
    public void Describe_shows_signed_mean_bounds_confidence_and_n()
    {
        var interval = new GainInterval(1.66667, 0.23245, 3.10088, 3, 0.95, GainMethod.PairedTOverSeeds);
        Assert.Equal("+1.67 points (95% CI +0.23..+3.10, n=3)", interval.Describe());
        Assert.Equal(interval.Describe(), interval.ToString());
    }

    [Fact]
    public void Negative_values_carry_a_minus_sign_and_zero_a_plus_sign()
    {
        var interval = new GainInterval(-0.5, -1.25, 0.001, 5, 0.9, GainMethod.PairedTOverSeeds);
        Assert.Equal("-0.50 points (90% CI -1.25..+0.00, n=5)", interval.Describe());
        var almostZero = new GainInterval(-0.001, -0.004, 0, 5, 0.95, GainMethod.PairedTOverSeeds);
        Assert.Equal("+0.00 points (95% CI +0.00..+0.00, n=5)", almostZero.Describe());
    }

    [Fact]
    public void Describe_takes_a_unit_and_a_number_of_decimals()
    {
        var interval = new GainInterval(0.0123, 0.0051, 0.0199, 10000, 0.995, GainMethod.PairedBootstrapOverTestSamples);
        Assert.Equal("+0.012 (99.5% CI +0.005..+0.020, n=10000)", interval.Describe(unit: "", decimals: 3));
        Assert.Equal("+1.2 pp (99.5% CI +0.5..+2.0, n=10000)", interval.Scaled(100).Describe("pp", 1));
    }

    [Fact]
    public void Describe_ignores_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var interval = new GainInterval(1.5, 0.25, 2.75, 4, 0.95, GainMethod.PairedTOverSeeds);
            Assert.Equal("+1.50 points (95% CI +0.25..+2.75, n=4)", interval.Describe());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_method_reads_as_words()
    {
        Assert.Equal("paired t over seeds", new GainInterval(0, 0, 0, 2, 0.95, GainMethod.PairedTOverSeeds).MethodDescription);
        Assert.Equal("paired bootstrap over test samples", new GainInterval(0, 0, 0, 2, 0.95, GainMethod.PairedBootstrapOverTestSamples).MethodDescription);
    }

    [Fact]
    public void Scaling_by_a_non_positive_factor_is_rejected()
    {
        var interval = new GainInterval(1, 0, 2, 3, 0.95, GainMethod.PairedTOverSeeds);
        Assert.Throws<ArgumentOutOfRangeException>(() => interval.Scaled(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => interval.Scaled(-100));
    }
}

using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class StudentTQuantileTests
{
    [Theory]
    // Two-sided 95% critical values from printed t tables.
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(10, 2.2281)]
    [InlineData(30, 2.0423)]
    [InlineData(1000, 1.9623)]
    public void The_975_quantile_matches_the_t_table(int degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentTQuantile.Of(0.975, degreesOfFreedom), tolerance: 1e-3);
    }

    [Fact]
    public void The_distribution_is_symmetric_around_zero()
    {
        Assert.Equal(-StudentTQuantile.Of(0.9, 5), StudentTQuantile.Of(0.1, 5), precision: 9);
        Assert.Equal(0, StudentTQuantile.Of(0.5, 7), precision: 9);
    }

    [Fact]
    public void Two_sided_at_95_percent_is_the_975_quantile()
    {
        Assert.Equal(StudentTQuantile.Of(0.975, 2), StudentTQuantile.TwoSided(0.95, 2), precision: 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_probability_outside_the_open_unit_interval_is_rejected(double probability)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTQuantile.Of(probability, 3));
    }

    [Fact]
    public void Zero_degrees_of_freedom_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentTQuantile.Of(0.975, 0));
    }
}

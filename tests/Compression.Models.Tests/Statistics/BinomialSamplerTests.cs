using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class BinomialSamplerTests
{
    [Theory]
    // Inversion (n·p < 10), rejection (n·p >= 10), and p > 0.5 through the mirror.
    [InlineData(1000, 0.003)]
    [InlineData(40, 0.2)]
    [InlineData(10000, 0.05)]
    [InlineData(10000, 0.5)]
    [InlineData(2000, 0.9)]
    public void Draws_have_the_binomial_mean_and_variance(int trials, double probability)
    {
        // Over 20,000 draws the sample mean is within 4 standard errors of n·p, and the sample
        // variance within 5% of n·p·(1 - p) (its relative standard error is about sqrt(2 / 20000) = 1%).
        const int draws = 20000;
        var rng = new SplitMix64(42);
        double sum = 0, squares = 0;
        for (int i = 0; i < draws; i++)
        {
            int k = BinomialSampler.Next(trials, probability, ref rng);
            Assert.InRange(k, 0, trials);
            sum += k;
            squares += (double)k * k;
        }
        double mean = sum / draws;
        double variance = (squares - (draws * mean * mean)) / (draws - 1);
        double expectedVariance = trials * probability * (1 - probability);
        Assert.Equal(trials * probability, mean, tolerance: 4 * Math.Sqrt(expectedVariance / draws));
        Assert.Equal(expectedVariance, variance, tolerance: 0.05 * expectedVariance);
    }

    [Fact]
    public void Certain_and_impossible_trials_give_all_or_nothing()
    {
        var rng = new SplitMix64(1);
        Assert.Equal(0, BinomialSampler.Next(500, 0, ref rng));
        Assert.Equal(500, BinomialSampler.Next(500, 1, ref rng));
        Assert.Equal(0, BinomialSampler.Next(0, 0.3, ref rng));
    }
}

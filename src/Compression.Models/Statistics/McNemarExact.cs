using MathNet.Numerics.Distributions;

namespace Compression.Models.Statistics;

/// <summary>
/// McNemar's exact test for two classifiers evaluated on the same test samples: only the discordant
/// samples (exactly one of the two right) carry information, and under "equally accurate" each of
/// them is equally likely to favour either model, so the count favouring the baseline is
/// Binomial(discordant, 1/2). Inverting that binomial (Clopper-Pearson) gives an exact interval for
/// the accuracy difference, conditional on the number of discordant samples.
/// </summary>
public static class McNemarExact
{
    /// <summary>
    /// Compares <paramref name="currentCorrect"/> with <paramref name="baselineCorrect"/> sample by sample.
    /// </summary>
    /// <param name="currentCorrect">Per test sample: whether the new model was right.</param>
    /// <param name="baselineCorrect">Per test sample, in the same order: whether the baseline model was right.</param>
    /// <param name="confidence">Coverage of the interval in (0, 1), e.g. 0.95.</param>
    /// <returns>The discordant counts, the two-sided exact p-value, and the current-minus-baseline accuracy difference (as fractions) with its interval.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static McNemarResult Compare(ReadOnlySpan<bool> currentCorrect, ReadOnlySpan<bool> baselineCorrect, double confidence = 0.95)
    {
        Confidence.Check(confidence);
        if (currentCorrect.Length != baselineCorrect.Length)
        {
            throw new ArgumentException($"Expected one baseline result per test sample (paired), got {currentCorrect.Length} current and {baselineCorrect.Length} baseline.", nameof(baselineCorrect));
        }
        int n = currentCorrect.Length;
        if (n == 0)
        {
            throw new ArgumentException("Expected at least one test sample.", nameof(currentCorrect));
        }
        int onlyCurrent = 0, onlyBaseline = 0;
        for (int i = 0; i < n; i++)
        {
            if (currentCorrect[i] && !baselineCorrect[i])
            {
                onlyCurrent++;
            }
            else if (!currentCorrect[i] && baselineCorrect[i])
            {
                onlyBaseline++;
            }
        }
        return FromCounts(onlyCurrent, onlyBaseline, n, confidence);
    }

    /// <summary>The same test from the counts alone.</summary>
    /// <param name="onlyCurrent">Samples only the new model got right.</param>
    /// <param name="onlyBaseline">Samples only the baseline got right.</param>
    /// <param name="samples">All test samples (concordant ones included), at least the discordant ones.</param>
    /// <param name="confidence">Coverage of the interval in (0, 1).</param>
    public static McNemarResult FromCounts(int onlyCurrent, int onlyBaseline, int samples, double confidence = 0.95)
    {
        Confidence.Check(confidence);
        ArgumentOutOfRangeException.ThrowIfNegative(onlyCurrent);
        ArgumentOutOfRangeException.ThrowIfNegative(onlyBaseline);
        int discordant = onlyCurrent + onlyBaseline;
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, Math.Max(1, discordant));
        if (discordant == 0)
        {
            return new McNemarResult(0, 0, samples, 1, new GainInterval(0, 0, 0, samples, confidence, GainMethod.McNemarExactOverTestSamples));
        }

        // Two-sided p: twice the smaller tail of Binomial(discordant, 1/2), at most 1.
        int smaller = Math.Min(onlyCurrent, onlyBaseline);
        double p = Math.Min(1, 2 * Binomial.CDF(0.5, discordant, smaller));

        // Clopper-Pearson bounds of pi = P(a discordant sample favours the current model); the
        // difference in accuracy is (discordant / samples) * (2 pi - 1).
        double alpha = 1 - confidence;
        double piLow = onlyCurrent == 0 ? 0 : Beta.InvCDF(onlyCurrent, discordant - onlyCurrent + 1, alpha / 2);
        double piHigh = onlyCurrent == discordant ? 1 : Beta.InvCDF(onlyCurrent + 1, discordant - onlyCurrent, 1 - (alpha / 2));
        double share = (double)discordant / samples;
        var difference = new GainInterval(
            (double)(onlyCurrent - onlyBaseline) / samples,
            share * ((2 * piLow) - 1),
            share * ((2 * piHigh) - 1),
            samples,
            confidence,
            GainMethod.McNemarExactOverTestSamples);
        return new McNemarResult(onlyCurrent, onlyBaseline, samples, p, difference);
    }
}

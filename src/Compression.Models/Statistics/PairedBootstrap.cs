namespace Compression.Models.Statistics;

/// <summary>
/// Paired percentile bootstrap over the test samples of one evaluation: how much the accuracy gain
/// of one model over another could move had a different test set of the same size been drawn.
/// </summary>
/// <remarks>
/// This covers evaluation noise only (test-set sampling), not training noise: a second training
/// run with another seed can move the gain further. For that, repeat the runs over seeds and use
/// <see cref="PairedInterval.OverRepeats"/>.
/// </remarks>
public static class PairedBootstrap
{
    /// <summary>
    /// Resamples test-sample indices with replacement, the same indices for both models (paired),
    /// and takes the percentile interval of the accuracy difference over <paramref name="iterations"/>
    /// resamples. <see cref="GainInterval.Mean"/> is the observed difference.
    /// </summary>
    /// <remarks>
    /// Units: the result is a difference of accuracies as fractions (0.01 = one point); call
    /// <see cref="GainInterval.Scaled"/> with 100 for points. Only the discordant samples (exactly
    /// one model right) move the difference, so a resample is reduced to how many of its n draws
    /// land on each kind of discordant sample: two exact binomial draws, the same distribution as
    /// drawing every index, in constant time per resample whatever the test-set size. Deterministic for a seed, on any
    /// runtime (SplitMix64, not System.Random).
    /// </remarks>
    /// <param name="treatedCorrect">Per test sample: whether the treated model (e.g. the distilled student) was right.</param>
    /// <param name="baselineCorrect">Per test sample, in the same order: whether the baseline model was right.</param>
    /// <param name="iterations">Number of bootstrap resamples, at least 1.</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="confidence">Coverage in (0, 1).</param>
    /// <returns>An interval with <see cref="GainMethod.PairedBootstrapOverTestSamples"/> and N the number of test samples.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static GainInterval OverSamples(ReadOnlySpan<bool> treatedCorrect, ReadOnlySpan<bool> baselineCorrect, int iterations = 10000, int seed = 0, double confidence = 0.95)
    {
        Confidence.Check(confidence);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (treatedCorrect.Length != baselineCorrect.Length)
        {
            throw new ArgumentException($"Expected one baseline result per test sample (paired), got {treatedCorrect.Length} treated and {baselineCorrect.Length} baseline.", nameof(baselineCorrect));
        }
        int n = treatedCorrect.Length;
        if (n == 0)
        {
            throw new ArgumentException("Expected at least one test sample.", nameof(treatedCorrect));
        }

        int onlyTreated = 0, onlyBaseline = 0;
        for (int i = 0; i < n; i++)
        {
            if (treatedCorrect[i] != baselineCorrect[i])
            {
                if (treatedCorrect[i])
                {
                    onlyTreated++;
                }
                else
                {
                    onlyBaseline++;
                }
            }
        }
        double observed = (double)(onlyTreated - onlyBaseline) / n;
        int discordant = onlyTreated + onlyBaseline;
        if (discordant == 0)
        {
            return new GainInterval(0, 0, 0, n, confidence, GainMethod.PairedBootstrapOverTestSamples);
        }

        // A resample draws n indices with replacement. Only how many land on each kind of discordant
        // sample matters, and those counts are multinomial: the discordant hits are
        // Binomial(n, discordant / n), and of those the treated-only ones Binomial(hits, onlyTreated / discordant).
        var rng = new SplitMix64(unchecked((ulong)(long)seed));
        var gains = new int[iterations];
        double discordantShare = (double)discordant / n;
        double treatedShare = (double)onlyTreated / discordant;
        for (int r = 0; r < iterations; r++)
        {
            int hits = BinomialSampler.Next(n, discordantShare, ref rng);
            int treatedHits = BinomialSampler.Next(hits, treatedShare, ref rng);
            gains[r] = treatedHits - (hits - treatedHits);
        }

        Array.Sort(gains);
        double low = Percentile(gains, (1 - confidence) / 2) / n;
        double high = Percentile(gains, (1 + confidence) / 2) / n;
        return new GainInterval(observed, low, high, n, confidence, GainMethod.PairedBootstrapOverTestSamples);
    }

    /// <summary>
    /// Paired percentile bootstrap of the mean difference of a per-sample score (a query's reciprocal rank, a
    /// row's cosine to the teacher): resamples sample indices with replacement, the same indices for both
    /// models, and takes the percentile interval of the mean of treated minus baseline over
    /// <paramref name="iterations"/> resamples. <see cref="GainInterval.Mean"/> is the observed mean difference,
    /// in the scores' unit. For 0/1 scores <see cref="OverSamples"/> gives the same distribution faster.
    /// </summary>
    /// <remarks>Draws every index of every resample (n × iterations draws); deterministic for a seed on any runtime (SplitMix64).</remarks>
    /// <param name="treated">Per sample: the treated model's score.</param>
    /// <param name="baseline">Per sample, in the same order: the baseline's score.</param>
    /// <param name="iterations">Number of bootstrap resamples, at least 1.</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="confidence">Coverage in (0, 1).</param>
    /// <returns>An interval with <see cref="GainMethod.PairedBootstrapOverTestSamples"/> and N the number of samples.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or hold a NaN or infinity.</exception>
    public static GainInterval OverScores(ReadOnlySpan<double> treated, ReadOnlySpan<double> baseline, int iterations, int seed, double confidence)
    {
        Confidence.Check(confidence);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (treated.Length != baseline.Length)
        {
            throw new ArgumentException($"Expected one baseline score per sample (paired), got {treated.Length} treated and {baseline.Length} baseline.", nameof(baseline));
        }
        int n = treated.Length;
        if (n == 0)
        {
            throw new ArgumentException("Expected at least one sample.", nameof(treated));
        }
        var differences = new double[n];
        for (int i = 0; i < n; i++)
        {
            differences[i] = treated[i] - baseline[i];
            if (!double.IsFinite(differences[i]))
            {
                throw new ArgumentException($"Sample {i} has a non-finite score (treated {treated[i]}, baseline {baseline[i]}).", nameof(treated));
            }
        }
        double observed = differences.Average();

        var rng = new SplitMix64(unchecked((ulong)(long)seed));
        var means = new double[iterations];
        for (int r = 0; r < iterations; r++)
        {
            double sum = 0;
            for (int draw = 0; draw < n; draw++)
            {
                // The high 64 bits of a 64 x 64-bit product: a uniform index in [0, n) (Lemire), without a division.
                sum += differences[(int)Math.BigMul(rng.NextUInt64(), (ulong)n, out _)];
            }
            means[r] = sum / n;
        }
        Array.Sort(means);
        return new GainInterval(observed, Percentile(means, (1 - confidence) / 2), Percentile(means, (1 + confidence) / 2), n, confidence, GainMethod.PairedBootstrapOverTestSamples);
    }

    /// <summary>The q-quantile of sorted values, linear between order statistics (Hyndman and Fan type 7).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(h);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>The q-quantile of sorted values, linear between order statistics (Hyndman and Fan type 7).</summary>
    private static double Percentile(int[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(h);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }
}

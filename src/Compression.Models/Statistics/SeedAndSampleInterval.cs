using MathNet.Numerics.Distributions;

namespace Compression.Models.Statistics;

/// <summary>
/// The accuracy gain of one setup over another, repeated over seeds and evaluated on one test set,
/// with an interval that covers both the training noise (seeds) and the evaluation noise (which test
/// samples were drawn).
/// </summary>
/// <remarks>
/// A t interval over seeds alone sees only how the seeds differ: on a small test set where every seed
/// differs from its scratch twin by the same sample, it has zero width although one sample more or less
/// would change everything. Here the variance of the mean gain is the sum of two parts:
/// the seeds' part s_g² / S (g_s the gain of seed s, S seeds, S - 1 degrees of freedom) and the test
/// set's part s_d² / n (d_i the gain on test sample i averaged over the seeds, n samples, n - 1 degrees
/// of freedom; the same samples for every seed, so this noise is shared by all seeds and the seeds'
/// spread cannot show it). The critical value is Student's t with the Welch-Satterthwaite degrees of
/// freedom of that sum, and the interval is never narrower than the t interval over the seeds alone.
/// Counting some within-seed noise twice makes the interval slightly wide, never narrow.
/// </remarks>
public static class SeedAndSampleInterval
{
    /// <summary>The combined interval of the mean gain, in accuracy fractions (0.01 = one point).</summary>
    /// <param name="treatedCorrect">Per seed, per test sample: whether the treated model (e.g. the distilled student) was right.</param>
    /// <param name="baselineCorrect">Per seed, in the same order and on the same samples: whether the baseline was right.</param>
    /// <param name="confidence">Coverage in (0, 1).</param>
    /// <returns>An interval with <see cref="GainMethod.PairedTOverSeedsAndTestSamples"/> and N the number of seeds.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 seeds, a seed without its baseline, or test sets of different sizes (fewer than 2 samples).</exception>
    public static GainInterval Of(IReadOnlyList<bool[]> treatedCorrect, IReadOnlyList<bool[]> baselineCorrect, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(treatedCorrect);
        ArgumentNullException.ThrowIfNull(baselineCorrect);
        Confidence.Check(confidence);
        int seeds = treatedCorrect.Count;
        if (seeds != baselineCorrect.Count || seeds < 2)
        {
            throw new ArgumentException($"Expected at least 2 seeds, each with its baseline, got {seeds} treated and {baselineCorrect.Count} baseline.", nameof(baselineCorrect));
        }
        int samples = treatedCorrect[0].Length;
        if (samples < 2 || treatedCorrect.Concat(baselineCorrect).Any(c => c.Length != samples))
        {
            throw new ArgumentException($"Expected the same test samples (at least 2) for every seed and model, got lengths {string.Join(", ", treatedCorrect.Concat(baselineCorrect).Select(c => c.Length))}.", nameof(treatedCorrect));
        }

        var perSeed = new double[seeds];
        var perSample = new double[samples];
        for (int s = 0; s < seeds; s++)
        {
            int net = 0;
            for (int i = 0; i < samples; i++)
            {
                int d = (treatedCorrect[s][i] ? 1 : 0) - (baselineCorrect[s][i] ? 1 : 0);
                net += d;
                perSample[i] += (double)d / seeds;
            }
            perSeed[s] = (double)net / samples;
        }
        double mean = perSeed.Average();
        double seedVariance = SampleVariance(perSeed) / seeds;
        double sampleVariance = SampleVariance(perSample) / samples;
        double total = seedVariance + sampleVariance;
        if (total == 0)
        {
            return new GainInterval(mean, mean, mean, seeds, confidence, GainMethod.PairedTOverSeedsAndTestSamples);
        }
        double degrees = total * total / ((seedVariance * seedVariance / (seeds - 1)) + (sampleVariance * sampleVariance / (samples - 1)));
        double combined = StudentT.InvCDF(0, 1, degrees, (1 + confidence) / 2) * Math.Sqrt(total);
        // Many degrees of freedom from the test samples can make the combined critical value smaller
        // than the seeds' own; the interval never ends narrower than the t interval over seeds alone.
        double seedsAlone = seedVariance == 0 ? 0 : StudentTQuantile.TwoSided(confidence, seeds - 1) * Math.Sqrt(seedVariance);
        double half = Math.Max(combined, seedsAlone);
        return new GainInterval(mean, mean - half, mean + half, seeds, confidence, GainMethod.PairedTOverSeedsAndTestSamples);
    }

    private static double SampleVariance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }
}

using MathNet.Numerics;

namespace Compression.Models.Statistics;

/// <summary>
/// Exact Binomial(n, p) draws in constant expected time: inversion by sequential search when
/// n·p is small, otherwise Hörmann's transformed rejection with squeeze, BTRS ("The generation of
/// binomial random variates", J. Statist. Comput. Simul. 46, 1993), the sampler TensorFlow and
/// PyTorch use. MathNet's own binomial sampler loops over n Bernoulli trials and takes System.Random.
/// </summary>
internal static class BinomialSampler
{
    // Below this mean, inversion (expected n·p + 1 steps) beats rejection; BTRS needs n·p >= 10.
    private const double InversionBelowMean = 10;

    /// <summary>A draw of the number of successes in <paramref name="trials"/> trials of probability <paramref name="probability"/>.</summary>
    public static int Next(int trials, double probability, ref SplitMix64 rng)
    {
        if (trials == 0 || probability <= 0)
        {
            return 0;
        }
        if (probability >= 1)
        {
            return trials;
        }
        if (probability > 0.5)
        {
            return trials - Next(trials, 1 - probability, ref rng);
        }
        return trials * probability < InversionBelowMean
            ? Inversion(trials, probability, ref rng)
            : TransformedRejection(trials, probability, ref rng);
    }

    private static int Inversion(int n, double p, ref SplitMix64 rng)
    {
        double q = 1 - p;
        double ratio = p / q;
        double start = Math.Pow(q, n); // P(X = 0) >= e^-14 here, since p <= 0.5 and n·p < 10.
        while (true)
        {
            double u = rng.NextDouble();
            double mass = start;
            int k = 0;
            // P(X = k + 1) = P(X = k) · (n - k) / (k + 1) · p / q.
            while (u >= mass && k < n)
            {
                u -= mass;
                mass *= (double)(n - k) / (k + 1) * ratio;
                k++;
            }
            if (u < mass)
            {
                return k;
            }
            // Rounding left u above the whole mass: draw again.
        }
    }

    private static int TransformedRejection(int n, double p, ref SplitMix64 rng)
    {
        double spread = Math.Sqrt(n * p * (1 - p));
        double b = 1.15 + (2.53 * spread);
        double a = -0.0873 + (0.0248 * b) + (0.01 * p);
        double c = (n * p) + 0.5;
        double acceptBelow = 0.92 - (4.2 / b);
        double alpha = (2.83 + (5.1 / b)) * spread;
        double logOdds = Math.Log(p / (1 - p));
        double mode = Math.Floor((n + 1) * p);
        double logModeMass = SpecialFunctions.GammaLn(mode + 1) + SpecialFunctions.GammaLn(n - mode + 1);
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            double v = rng.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((((2 * a / us) + b) * u) + c);
            if (k < 0 || k > n)
            {
                continue;
            }
            if (us >= 0.07 && v <= acceptBelow)
            {
                return (int)k;
            }
            // Accept when v under the hat lies below log(f(k) / f(mode)).
            double logV = Math.Log(v * alpha / ((a / (us * us)) + b));
            double logRatio = logModeMass - SpecialFunctions.GammaLn(k + 1) - SpecialFunctions.GammaLn(n - k + 1) + ((k - mode) * logOdds);
            if (logV <= logRatio)
            {
                return (int)k;
            }
        }
    }
}

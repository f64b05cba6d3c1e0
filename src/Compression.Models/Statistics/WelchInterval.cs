using MathNet.Numerics.Distributions;

namespace Compression.Models.Statistics;

/// <summary>
/// Welch's t interval for the difference of two means from independent runs with possibly
/// different spreads (degrees of freedom by Welch-Satterthwaite), e.g. a latency ratio measured in
/// the runs behind a baseline and in today's runs, which share no pairing.
/// </summary>
public static class WelchInterval
{
    /// <summary>
    /// mean(<paramref name="current"/>) - mean(<paramref name="baseline"/>) with the interval
    /// difference ± t_{(1+c)/2, df} · sqrt(s1²/n1 + s2²/n2).
    /// </summary>
    /// <param name="current">Values of today's runs, at least 2, finite.</param>
    /// <param name="baseline">Values of the baseline's runs, at least 2, finite.</param>
    /// <param name="confidence">Coverage in (0, 1).</param>
    /// <returns>An interval with <see cref="GainMethod.WelchTOverRuns"/> and N the number of current runs.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 values on a side, or a value that is not finite.</exception>
    public static GainInterval OfMeanDifference(IReadOnlyList<double> current, IReadOnlyList<double> baseline, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(baseline);
        Confidence.Check(confidence);
        var (meanCurrent, varianceCurrent) = MeanAndVariance(current, nameof(current));
        var (meanBaseline, varianceBaseline) = MeanAndVariance(baseline, nameof(baseline));
        double a = varianceCurrent / current.Count, b = varianceBaseline / baseline.Count;
        double difference = meanCurrent - meanBaseline;
        double standardError = Math.Sqrt(a + b);
        if (standardError == 0)
        {
            return new GainInterval(difference, difference, difference, current.Count, confidence, GainMethod.WelchTOverRuns);
        }
        double df = (a + b) * (a + b) / ((a * a / (current.Count - 1)) + (b * b / (baseline.Count - 1)));
        double halfWidth = StudentT.InvCDF(0, 1, df, (1 + confidence) / 2) * standardError;
        return new GainInterval(difference, difference - halfWidth, difference + halfWidth, current.Count, confidence, GainMethod.WelchTOverRuns);
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values, string name)
    {
        if (values.Count < 2)
        {
            throw new ArgumentException($"Expected at least 2 runs to estimate their spread, got {values.Count}.", name);
        }
        double sum = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Expected finite values, got {v}.", name);
            }
            sum += v;
        }
        double mean = sum / values.Count;
        double squares = 0;
        foreach (double v in values)
        {
            squares += (v - mean) * (v - mean);
        }
        return (mean, squares / (values.Count - 1));
    }
}

namespace Compression.Models.Statistics;

/// <summary>
/// Paired t interval over repeated runs: the gain of a treated setup (e.g. with distillation) over a
/// baseline (without), where run i of both used the same seed, split and data order.
/// </summary>
public static class PairedInterval
{
    /// <summary>
    /// Mean of the paired differences d_i = treated_i - baseline_i, with the interval
    /// mean ± t_{(1+c)/2, n-1} · s/√n, where s is the sample standard deviation (divisor n - 1).
    /// Covers training noise (seeds) as far as n runs show it; the result is in the inputs' unit.
    /// </summary>
    /// <param name="treated">One metric per run of the treated setup (e.g. accuracy in points).</param>
    /// <param name="baseline">The same metric per run of the baseline, in the same order.</param>
    /// <param name="confidence">Coverage in (0, 1).</param>
    /// <returns>An interval with <see cref="GainMethod.PairedTOverSeeds"/>; when every difference is the same, Low = High = Mean.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, hold fewer than 2 runs, or hold a value that is not finite.</exception>
    public static GainInterval OverRepeats(IReadOnlyList<double> treated, IReadOnlyList<double> baseline, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(baseline);
        Confidence.Check(confidence);
        if (treated.Count != baseline.Count)
        {
            throw new ArgumentException($"Expected one baseline value per treated value (paired by seed), got {treated.Count} treated and {baseline.Count} baseline.", nameof(baseline));
        }
        int n = treated.Count;
        if (n < 2)
        {
            throw new ArgumentException($"Expected at least 2 paired runs to estimate their spread, got {n}.", nameof(treated));
        }

        var differences = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(treated[i]) || !double.IsFinite(baseline[i]))
            {
                throw new ArgumentException($"Expected finite values, got treated[{i}] = {treated[i]} and baseline[{i}] = {baseline[i]}.", nameof(treated));
            }
            differences[i] = treated[i] - baseline[i];
            sum += differences[i];
        }
        double mean = sum / n;
        double squares = 0;
        foreach (double d in differences)
        {
            squares += (d - mean) * (d - mean);
        }
        double standardError = Math.Sqrt(squares / (n - 1)) / Math.Sqrt(n);
        double halfWidth = standardError == 0 ? 0 : StudentTQuantile.TwoSided(confidence, n - 1) * standardError;
        return new GainInterval(mean, mean - halfWidth, mean + halfWidth, n, confidence, GainMethod.PairedTOverSeeds);
    }
}

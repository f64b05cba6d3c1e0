using System.Globalization;

namespace Compression.Models.Statistics;

/// <summary>
/// A gain of one model over another with a confidence interval, e.g. the accuracy gain of a
/// distilled student over the same student trained without a teacher.
/// </summary>
/// <param name="Mean">The observed gain (mean paired difference), in the caller's unit.</param>
/// <param name="Low">Lower bound of the interval, in the same unit.</param>
/// <param name="High">Upper bound of the interval, in the same unit.</param>
/// <param name="N">Number of pairs behind the interval: seeds for <see cref="GainMethod.PairedTOverSeeds"/> and <see cref="GainMethod.PairedTOverSeedsAndTestSamples"/>, test samples for <see cref="GainMethod.PairedBootstrapOverTestSamples"/>.</param>
/// <param name="Confidence">Coverage of the interval, in (0, 1), e.g. 0.95.</param>
/// <param name="Method">How the interval was computed, which says which noise it covers.</param>
public sealed record GainInterval(double Mean, double Low, double High, int N, double Confidence, GainMethod Method)
{
    /// <summary>Whether the whole interval lies above zero (the gain is positive at this confidence).</summary>
    public bool IsAboveZero => Low > 0;

    /// <summary>The method in words: "paired t over seeds" or "paired bootstrap over test samples".</summary>
    public string MethodDescription => Method switch
    {
        GainMethod.PairedTOverSeeds => "paired t over seeds",
        GainMethod.PairedTOverSeedsAndTestSamples => "t over seeds and test samples",
        GainMethod.PairedBootstrapOverTestSamples => "paired bootstrap over test samples",
        GainMethod.McNemarExactOverTestSamples => "McNemar's exact test over test samples",
        GainMethod.PairedTOverInterleavedRounds => "paired t over interleaved rounds",
        _ => Method.ToString(),
    };

    /// <summary>
    /// The same interval in another unit: <see cref="Mean"/>, <see cref="Low"/> and <see cref="High"/>
    /// multiplied by <paramref name="factor"/> (e.g. 100 turns an accuracy fraction into points).
    /// </summary>
    /// <param name="factor">A positive factor (a negative one would swap the bounds).</param>
    public GainInterval Scaled(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected a finite factor above zero.");
        }
        return this with { Mean = Mean * factor, Low = Low * factor, High = High * factor };
    }

    /// <summary>
    /// The interval as a report shows it, in invariant culture with explicit signs:
    /// <c>+1.67 points (95% CI +0.23..+3.10, n=3)</c>.
    /// </summary>
    /// <param name="unit">The unit's name after the mean; empty for none.</param>
    /// <param name="decimals">Decimal places of the mean and bounds.</param>
    public string Describe(string unit = "points", int decimals = 2)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 15);
        string mean = Signed(Mean, decimals);
        string head = unit.Length == 0 ? mean : $"{mean} {unit}";
        string percent = (Confidence * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return $"{head} ({percent}% CI {Signed(Low, decimals)}..{Signed(High, decimals)}, n={N.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>Same as <see cref="Describe"/> with its defaults (unit "points", two decimals).</summary>
    public override string ToString() => Describe();

    private static string Signed(double value, int decimals)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        // A value that rounds to zero shows as +0.00, never -0.00.
        string sign = rounded < 0 ? "-" : "+";
        return sign + Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}

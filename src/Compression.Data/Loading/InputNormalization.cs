using System.Globalization;

namespace Compression.Data.Loading;

/// <summary>
/// How raw features became what the models take, with the statistics it used: "scale" multiplies
/// every feature by <see cref="Scale"/>; "standardize" subtracts each feature's <see cref="Mean"/>
/// and divides by its <see cref="Std"/> (both measured on the train split); "none" leaves them.
/// <see cref="Apply"/> is the loader's own arithmetic, so whatever repeats it step for step (the
/// shipped model's graph: Mul, or Sub then Div, in float) gives the very same normalised values.
/// </summary>
/// <param name="Kind">"scale", "standardize" or "none", as in the config's <c>data.normalization</c>.</param>
/// <param name="Scale">The factor of "scale" (1 otherwise).</param>
/// <param name="Mean">Per feature, subtracted by "standardize" (empty otherwise).</param>
/// <param name="Std">Per feature, the divisor of "standardize" (empty otherwise; a constant feature has 1).</param>
public sealed record InputNormalization(string Kind, float Scale, float[] Mean, float[] Std)
{
    /// <summary>No change: models take the features as they are in the files.</summary>
    public static InputNormalization None { get; } = new("none", 1f, [], []);

    /// <summary>Every feature multiplied by <paramref name="scale"/>.</summary>
    public static InputNormalization Scaled(float scale) => new("scale", scale, [], []);

    /// <summary>Per feature, minus its mean, divided by its deviation.</summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static InputNormalization Standardized(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length != std.Length)
        {
            throw new ArgumentException($"expected one deviation per mean ({mean.Length}), found {std.Length}", nameof(std));
        }
        return new("standardize", 1f, mean, std);
    }

    /// <summary>Normalises raw rows (a whole number of samples) in place.</summary>
    public void Apply(Span<float> features)
    {
        if (Kind == "scale")
        {
            Normalizer.Scale(features, Scale);
        }
        else if (Kind == "standardize")
        {
            Normalizer.Standardize(features, Mean, Std);
        }
    }

    /// <summary>Raw features whose normalisation gives (to float rounding) <paramref name="normalized"/>: for checks that feed a shipped model raw input.</summary>
    public float[] Undo(ReadOnlySpan<float> normalized)
    {
        float[] raw = normalized.ToArray();
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = Kind switch
            {
                "scale" => raw[i] / Scale,
                "standardize" => (raw[i] * Std[i % Std.Length]) + Mean[i % Mean.Length],
                _ => raw[i],
            };
        }
        return raw;
    }

    /// <summary>One line for report.md and the shipped model's metadata: what input the shipped model takes.</summary>
    public string Describe() => Kind switch
    {
        "scale" => string.Create(CultureInfo.InvariantCulture, $"raw features; the graph multiplies them by {Scale:R}"),
        "standardize" => string.Create(CultureInfo.InvariantCulture,
            $"raw features; the graph subtracts each feature's train-split mean and divides by its standard deviation ({Mean.Length} features)"),
        _ => "raw features, as in the data files (no normalisation)",
    };
}

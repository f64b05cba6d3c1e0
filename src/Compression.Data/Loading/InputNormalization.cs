using System.Globalization;

namespace Compression.Data.Loading;

/// <summary>
/// How raw features become what the models take: x' = (x - <see cref="Offset"/>) * <see cref="Factor"/>,
/// per feature (both have one value per feature of a sample). "scale" has a zero offset and one
/// factor; "standardize" subtracts the train split's mean and divides by its deviation.
/// The shipped model has this in its graph, so an app feeds it raw features.
/// </summary>
/// <param name="Kind">"scale", "standardize" or "none".</param>
/// <param name="Offset">Subtracted from each feature.</param>
/// <param name="Factor">Multiplies each feature after the offset.</param>
public sealed record InputNormalization(string Kind, float[] Offset, float[] Factor)
{
    /// <summary>No change: models take the features as they are in the files.</summary>
    public static InputNormalization None(int sampleSize) => new("none", new float[sampleSize], Enumerable.Repeat(1f, sampleSize).ToArray());

    /// <summary>Every feature multiplied by <paramref name="factor"/>.</summary>
    public static InputNormalization Scale(int sampleSize, double factor) => new("scale", new float[sampleSize], Enumerable.Repeat((float)factor, sampleSize).ToArray());

    /// <summary>Per feature, minus its mean, divided by its deviation.</summary>
    public static InputNormalization Standardize(float[] mean, float[] std) => new("standardize", mean, std.Select(s => 1f / s).ToArray());

    /// <summary>True when features pass unchanged.</summary>
    public bool IsIdentity => Offset.All(o => o == 0) && Factor.All(f => f == 1);

    /// <summary>The raw features of normalised ones (for checks that feed a shipped model raw input).</summary>
    public float[] Undo(ReadOnlySpan<float> normalized)
    {
        var raw = new float[normalized.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            int feature = i % Offset.Length;
            raw[i] = (normalized[i] / Factor[feature]) + Offset[feature];
        }
        return raw;
    }

    /// <summary>One line for reports and model metadata.</summary>
    public string Describe() => Kind switch
    {
        "scale" => string.Create(CultureInfo.InvariantCulture, $"raw features; the graph multiplies them by {Factor[0]:R}"),
        "standardize" => "raw features; the graph subtracts each feature's train-split mean and divides by its deviation",
        _ => "raw features, as in the data files (no normalisation)",
    };
}

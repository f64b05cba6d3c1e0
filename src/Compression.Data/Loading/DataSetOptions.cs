namespace Compression.Data.Loading;

/// <summary>
/// Everything that decides what <see cref="DataSetLoader"/> produces: the files, how validation is
/// carved from train, how features are normalised, and the seed. Mirrors the <c>data</c> section of
/// compression.json; every field but the paths goes into the content hash.
/// </summary>
public sealed record DataSetOptions
{
    /// <summary>"idx" (MNIST format, gzip or raw) or "csv" (numeric features and a label column).</summary>
    public string Format { get; init; } = "idx";

    /// <summary>The training files; the validation split is carved from them.</summary>
    public required DataFiles Train { get; init; }

    /// <summary>The test files, used only for the final evaluation.</summary>
    public required DataFiles Test { get; init; }

    /// <summary>CSV only: the header name of the label column (matched ignoring case).</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>CSV only: the label column's 0-based position; when set, it wins over <see cref="LabelColumn"/>.</summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>Fraction of the training rows held out for validation, in [0, 1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// "scale" (multiply every value by <see cref="Scale"/>), "standardize" (per feature: subtract the
    /// mean and divide by the standard deviation, both measured on the train split only, then applied
    /// to all three) or "none".
    /// </summary>
    public string Normalization { get; init; } = "scale";

    /// <summary>The factor for "scale"; the default 1/255 maps bytes to [0, 1].</summary>
    public double Scale { get; init; } = 1.0 / 255.0;

    /// <summary>Seeds the train/validation shuffle.</summary>
    public int Seed { get; init; }
}

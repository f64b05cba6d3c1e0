namespace Compression.Data.Loading;

/// <summary>
/// Everything that decides what <see cref="DataSetLoader"/> produces: the files, how validation is
/// carved from train, which training labels are kept, how features are normalised, and the seed.
/// Mirrors the <c>data</c> section of compression.json; every field but the paths goes into the
/// content hash (the files by their bytes).
/// </summary>
public sealed record DataSetOptions
{
    /// <summary>"idx" (MNIST format, gzip or raw), "csv" (numeric features and a label column), or a format of <see cref="Formats"/>.</summary>
    public string Format { get; init; } = "idx";

    /// <summary>The formats <see cref="Format"/> is looked up in: the built-in ones unless plugins added more.</summary>
    public Compression.Data.Formats.DataFormatRegistry Formats { get; init; } = Compression.Data.Formats.DataFormatRegistry.BuiltIn;

    /// <summary>The format's own settings (<c>data.settings</c>, bound to its <see cref="Compression.Data.Formats.DataFormat.SettingsType"/>), or null.</summary>
    public object? FormatSettings { get; init; }

    /// <summary>
    /// Where the loader records each data file's SHA-256 as it hashes it, so that the rest of the run
    /// (test-set identity, provenance) reuses it instead of reading the file again; null for none.
    /// </summary>
    public DataFileDigests? Digests { get; init; }

    /// <summary>
    /// A folder the format may keep what it derives from the files in (e.g. decoded images), keyed by
    /// its own content hash of them, so a second run need not derive it again; null for no cache. The
    /// host gives each run's work folder's <c>cache/data</c>. Not part of the content hash.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>
    /// The folder relative paths in <see cref="FormatSettings"/> are resolved against (e.g. the text
    /// format's vocabulary): the folder of compression.json when the host loads the data; null for the
    /// current folder. Not part of the content hash (a format hashes the files its settings name).
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// The memory the run may use for one model and its data (the host's <c>maxModelMemoryMb</c>, or a
    /// share of the machine's); a format that can estimate what it will hold before reading checks it
    /// and refuses a data set that cannot fit. Null when unknown.
    /// </summary>
    public Compression.Abstractions.Stages.IMemoryBudget? MemoryBudget { get; init; }

    /// <summary>Where a format reports progress on a long read (e.g. "images: decoded 1,000 of 60,000"), or null.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>The training files; the validation split is carved from them.</summary>
    public required DataFiles Train { get; init; }

    /// <summary>The test files, used only for the final evaluation.</summary>
    public required DataFiles Test { get; init; }

    /// <summary>
    /// Optional unlabelled samples of the same feature shape as <see cref="Train"/>, appended to
    /// <c>DataSplits.Transfer</c>. IDX: <see cref="DataFiles.Features"/> only (a labels file is an
    /// error: transfer data has no labels). CSV: <see cref="DataFiles.Path"/>, a file with the training
    /// file's feature columns (by name, in the same order); if it also has the label column, that
    /// column is dropped and its values are not used.
    /// </summary>
    public DataFiles? Transfer { get; init; }

    /// <summary>
    /// Keep the labels of this many training rows (after the validation split; a seeded, class-stratified
    /// choice) and treat the others as unlabelled transfer data, for experiments on fully labelled
    /// data. In [1, training rows]; at most one of this and <see cref="LabeledFraction"/>.
    /// </summary>
    public int? LabeledCount { get; init; }

    /// <summary>
    /// As <see cref="LabeledCount"/>, given as a fraction of the training rows in (0, 1]: the count is
    /// the rounded product, at least 1.
    /// </summary>
    public double? LabeledFraction { get; init; }

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

    /// <summary>
    /// A normalisation declared by whoever trained the model (an app's model's input contract), applied
    /// as given instead of <see cref="Normalization"/> and <see cref="Scale"/>: nothing is measured on
    /// the train split. Null (the default) for the data's own normalisation.
    /// </summary>
    public InputNormalization? DeclaredNormalization { get; init; }

    /// <summary>Seeds the train/validation shuffle and the choice of the labelled subset.</summary>
    public int Seed { get; init; }
}

namespace Compression.Data.Loading;

/// <summary>
/// The files of one split, under the keys compression.json gives them. IDX keeps features and labels
/// in two files; CSV keeps both in one; a plugin's format uses the keys it declares
/// (<see cref="Compression.Data.Formats.DataFormat.FileKeys"/>).
/// Paths are absolute: the caller resolves them against the config file's folder.
/// </summary>
/// <param name="Features">IDX: the features (images) file.</param>
/// <param name="Labels">IDX: the labels file.</param>
/// <param name="Path">CSV: the file.</param>
public sealed record DataFiles(string? Features = null, string? Labels = null, string? Path = null)
{
    /// <summary>An IDX split: features file and labels file.</summary>
    public static DataFiles Idx(string features, string labels) => new(features, labels);

    /// <summary>A CSV split: one file.</summary>
    public static DataFiles Csv(string path) => new(Path: path);

    /// <summary>The file under <paramref name="key"/> ("features", "labels" or "path"), or null.</summary>
    public string? Get(string key) => key switch
    {
        "features" => Features,
        "labels" => Labels,
        "path" => Path,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "a split's file keys are \"features\", \"labels\" and \"path\""),
    };
}

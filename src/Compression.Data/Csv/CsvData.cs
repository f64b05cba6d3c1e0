namespace Compression.Data.Csv;

/// <summary>
/// The rows of a CSV file as raw (not yet normalised) numeric features and class indices. Class
/// names, when the file used them, are returned so that reports can show names instead of indices.
/// </summary>
/// <param name="Features">Row-major features, <see cref="Count"/> times <see cref="FeatureNames"/>.Length values.</param>
/// <param name="FeatureNames">The header names of the feature columns, in file order.</param>
/// <param name="Labels">Class index of each row.</param>
/// <param name="ClassNames">Class names sorted ordinally, the index of each being its label; null when the file had integer labels.</param>
public sealed record CsvData(float[] Features, string[] FeatureNames, int[] Labels, IReadOnlyList<string>? ClassNames)
{
    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;
}

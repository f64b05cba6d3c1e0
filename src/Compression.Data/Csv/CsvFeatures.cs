namespace Compression.Data.Csv;

/// <summary>
/// The rows of a CSV file read without labels (transfer data), as raw (not yet normalised) numeric
/// features.
/// </summary>
/// <param name="Features">Row-major features, <paramref name="Count"/> times <paramref name="FeatureNames"/>.Length values.</param>
/// <param name="FeatureNames">The header names of the feature columns, in file order.</param>
/// <param name="Count">Number of rows.</param>
public sealed record CsvFeatures(float[] Features, string[] FeatureNames, int Count);

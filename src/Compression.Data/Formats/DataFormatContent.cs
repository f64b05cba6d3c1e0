namespace Compression.Data.Formats;

/// <summary>What a <see cref="DataFormat"/> read: the splits as stored (not normalised), and the class names when the files name classes.</summary>
/// <param name="Train">The training split (the validation split is carved from it later).</param>
/// <param name="Test">The test split.</param>
/// <param name="Transfer">The unlabelled transfer split, when the options name one.</param>
/// <param name="ClassNames">Class i's name, when labels were names (CSV); null when they were indices. Its count is the class count.</param>
public sealed record DataFormatContent(DataFormatSplit Train, DataFormatSplit Test, DataFormatSplit? Transfer = null, IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>
    /// True when no split carries labels (every label is <see cref="Compression.Abstractions.Data.LabelledData.NoLabel"/>):
    /// data for a task that is not classification (the text format's query/document pairs for the
    /// <c>embedding</c> task). The loader then skips the class checks and the splits have 0 classes.
    /// </summary>
    public bool Unlabelled { get; init; }
}

/// <summary>One split as read: row-major features, the shape of one sample, a label per sample, and the files messages name.</summary>
/// <param name="Features">Samples one after another, each of <paramref name="SampleShape"/>.</param>
/// <param name="SampleShape">The shape of one sample, e.g. [1, 28, 28] or [feature count].</param>
/// <param name="Labels">A class index per sample (from 0), or <see cref="Compression.Abstractions.Data.LabelledData.NoLabel"/> for transfer data.</param>
/// <param name="FeaturesPath">The file a message about the features names.</param>
/// <param name="LabelsPath">The file a message about the labels names (the same file when one holds both).</param>
public sealed record DataFormatSplit(float[] Features, int[] SampleShape, int[] Labels, string FeaturesPath, string LabelsPath)
{
    /// <summary>An unlabelled split of <paramref name="count"/> samples, read from <paramref name="path"/>.</summary>
    public static DataFormatSplit Unlabelled(float[] features, int[] sampleShape, int count, string path)
    {
        var labels = new int[count];
        Array.Fill(labels, Compression.Abstractions.Data.LabelledData.NoLabel);
        return new DataFormatSplit(features, sampleShape, labels, path, path);
    }
}

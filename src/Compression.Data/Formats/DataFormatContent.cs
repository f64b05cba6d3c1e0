using Compression.Abstractions.Data;

namespace Compression.Data.Formats;

/// <summary>What a <see cref="DataFormat"/> read: the splits as stored (not normalised), and the class names when the files name classes.</summary>
/// <param name="Train">The training split (the validation split is carved from it later).</param>
/// <param name="Test">The test split.</param>
/// <param name="Transfer">The unlabelled transfer split, when the options name one.</param>
/// <param name="ClassNames">Class i's name, when labels were names (CSV); null when they were indices. Its count is the class count.</param>
public sealed record DataFormatContent(DataFormatSplit Train, DataFormatSplit Test, DataFormatSplit? Transfer = null, IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>
    /// True when no split carries labels (every label is <see cref="LabelledData.NoLabel"/>):
    /// data for a task that is not classification (the text format's query/document pairs for the
    /// <c>embedding</c> task). The loader then skips the class checks and the splits have 0 classes.
    /// </summary>
    public bool Unlabelled { get; init; }
}

/// <summary>One split as read: its features in a <see cref="RowStore"/>, the shape of one sample, a label per sample, and the files messages name.</summary>
/// <param name="Rows">Samples one after another, each of <paramref name="SampleShape"/> (in memory, or e.g. a <see cref="FileRowStore"/> for a split too large to hold).</param>
/// <param name="SampleShape">The shape of one sample, e.g. [1, 28, 28] or [feature count].</param>
/// <param name="Labels">A class index per sample (from 0), or <see cref="LabelledData.NoLabel"/> for transfer data.</param>
/// <param name="FeaturesPath">The file a message about the features names.</param>
/// <param name="LabelsPath">The file a message about the labels names (the same file when one holds both).</param>
public sealed record DataFormatSplit(RowStore Rows, int[] SampleShape, int[] Labels, string FeaturesPath, string LabelsPath)
{
    /// <summary>A split held in memory: <paramref name="features"/> are samples one after another (the loader checks that they fit the labels).</summary>
    public DataFormatSplit(float[] features, int[] sampleShape, int[] labels, string featuresPath, string labelsPath)
        : this(InMemory(features, sampleShape), sampleShape, labels, featuresPath, labelsPath)
    {
    }

    /// <summary>The features as one array, for a split held in memory.</summary>
    /// <exception cref="InvalidOperationException">The split is served from elsewhere (e.g. a file): read it through <see cref="Rows"/>.</exception>
    public float[] Features => Rows.InMemoryArray
        ?? throw new InvalidOperationException($"the split read from {FeaturesPath} is not held in memory as one array: read it through Rows");

    /// <summary>An unlabelled split of <paramref name="count"/> samples, read from <paramref name="path"/>.</summary>
    public static DataFormatSplit Unlabelled(float[] features, int[] sampleShape, int count, string path)
    {
        var labels = new int[count];
        Array.Fill(labels, LabelledData.NoLabel);
        return new DataFormatSplit(features, sampleShape, labels, path, path);
    }

    /// <summary>Rows of one sample each, or, when the values are not a whole number of samples, rows of one value, so the loader can say how many values a (faulty) format returned.</summary>
    private static RowStore InMemory(float[] features, int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sampleShape);
        long size = sampleShape.Aggregate(1L, (product, dimension) => product * dimension);
        return RowStore.InMemory(features, size is > 0 and <= int.MaxValue && features.Length % size == 0 ? (int)size : 1);
    }
}

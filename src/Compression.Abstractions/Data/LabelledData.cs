namespace Compression.Abstractions.Data;

/// <summary>
/// A data split: features (already normalised) in a <see cref="RowStore"/>, and class labels, where a
/// sample without a label (transfer data) has <see cref="NoLabel"/>. Read features a range at a time
/// (<see cref="Rows"/>, <see cref="CopyRows"/>): a split may live in a file, larger than memory.
/// </summary>
public sealed class LabelledData
{
    /// <summary>
    /// The label of a sample whose class is not known. It is -100, the default <c>ignore_index</c> of
    /// TorchSharp's (and PyTorch's) <c>cross_entropy</c>, so a plain cross entropy skips such samples.
    /// </summary>
    public const int NoLabel = -100;

    /// <summary>Creates a split held in memory, checking that the arrays agree with each other.</summary>
    /// <param name="features">Row-major features, <paramref name="labels"/>.Length times the product of <paramref name="sampleShape"/>.</param>
    /// <param name="sampleShape">Shape of one sample, e.g. [1, 28, 28] for a grey image or [n] for a feature vector.</param>
    /// <param name="labels">Class index of each sample, in [0, class count).</param>
    public LabelledData(float[] features, int[] sampleShape, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        int sampleSize = SizeOf(sampleShape);
        if ((long)labels.Length * sampleSize != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels of {sampleSize} features each need {(long)labels.Length * sampleSize} values, not {features.Length}.",
                nameof(features));
        }
        Store = RowStore.InMemory(features, sampleSize);
        SampleShape = sampleShape;
        Labels = labels;
        SampleSize = sampleSize;
    }

    /// <summary>Creates a split whose features are in <paramref name="store"/> (one row per label).</summary>
    /// <param name="store">The features, rows of the product of <paramref name="sampleShape"/> values.</param>
    /// <param name="sampleShape">Shape of one sample.</param>
    /// <param name="labels">Class index of each sample, or <see cref="NoLabel"/>.</param>
    public LabelledData(RowStore store, int[] sampleShape, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(labels);
        int sampleSize = SizeOf(sampleShape);
        if (store.SampleSize != sampleSize || store.Count != labels.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels of {sampleSize} features each need as many rows of that size, not {store.Count} rows of {store.SampleSize}.", nameof(store));
        }
        Store = store;
        SampleShape = sampleShape;
        Labels = labels;
        SampleSize = sampleSize;
    }

    /// <summary>Where the features are.</summary>
    public RowStore Store { get; }

    /// <summary>True when the features are one array in memory (<see cref="Features"/>).</summary>
    public bool IsInMemory => Store.InMemoryArray is not null;

    /// <summary>Row-major features of all samples, for a split held in memory (<see cref="IsInMemory"/>).</summary>
    /// <exception cref="InvalidOperationException">The split is not one array in memory: read it with <see cref="Rows"/> or <see cref="CopyRows"/>.</exception>
    public float[] Features => Store.InMemoryArray
        ?? throw new InvalidOperationException($"this split of {Count:N0} samples is not held in memory as one array: read it a range at a time with Rows or CopyRows");

    /// <summary>Shape of one sample (without the batch dimension).</summary>
    public int[] SampleShape { get; }

    /// <summary>Class index of each sample, or <see cref="NoLabel"/>.</summary>
    public int[] Labels { get; }

    /// <summary>Number of features in one sample (the product of <see cref="SampleShape"/>).</summary>
    public int SampleSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>
    /// The features of samples [start, start + count) as one contiguous span: the array itself for a
    /// split in memory, otherwise a new copy (for a batch; use <see cref="CopyRows"/> to reuse a buffer).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the split, or more values than one span holds.</exception>
    public ReadOnlySpan<float> Rows(int start, int count)
    {
        if (Store.InMemoryArray is float[] features)
        {
            return features.AsSpan(start * SampleSize, count * SampleSize);
        }
        long values = (long)count * SampleSize;
        if (values > System.Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count:N0} samples of {SampleSize:N0} values are more than one array holds: read fewer at a time");
        }
        var copy = new float[values];
        Store.CopyRows(start, count, copy);
        return copy;
    }

    /// <summary>Copies the features of samples [start, start + count) into <paramref name="destination"/>.</summary>
    public void CopyRows(int start, int count, Span<float> destination) => Store.CopyRows(start, count, destination);

    /// <summary>The labels of samples [start, start + count).</summary>
    public ReadOnlySpan<int> LabelRows(int start, int count) => Labels.AsSpan(start, count);

    /// <summary>Samples <paramref name="rows"/> in that order: copied when in memory, else a view of this split's store.</summary>
    /// <param name="rows">Sample indices.</param>
    /// <param name="hideLabels">True to give every chosen sample <see cref="NoLabel"/>.</param>
    public LabelledData Take(int[] rows, bool hideLabels)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            labels[i] = hideLabels ? NoLabel : Labels[rows[i]];
        }
        if (Store.InMemoryArray is not float[] source)
        {
            return new LabelledData(Store.Select(rows), SampleShape, labels);
        }
        var features = new float[(long)rows.Length * SampleSize];
        for (int i = 0; i < rows.Length; i++)
        {
            System.Array.Copy(source, (long)rows[i] * SampleSize, features, (long)i * SampleSize, SampleSize);
        }
        return new LabelledData(features, SampleShape, labels);
    }

    /// <summary>The samples of <paramref name="first"/>, then those of <paramref name="second"/>: one array when both are in memory, else a view.</summary>
    /// <exception cref="ArgumentException">The samples differ in shape.</exception>
    public static LabelledData Concat(LabelledData first, LabelledData second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (!first.SampleShape.AsSpan().SequenceEqual(second.SampleShape))
        {
            throw new ArgumentException($"samples of [{string.Join(", ", first.SampleShape)}] and [{string.Join(", ", second.SampleShape)}] cannot be concatenated", nameof(second));
        }
        int[] labels = [.. first.Labels, .. second.Labels];
        return first.Store.InMemoryArray is float[] a && second.Store.InMemoryArray is float[] b
            ? new LabelledData([.. a, .. b], first.SampleShape, labels)
            : new LabelledData(RowStore.Concat(first.Store, second.Store), first.SampleShape, labels);
    }

    private static int SizeOf(int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        int sampleSize = 1;
        foreach (int dimension in sampleShape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException("Every dimension of a sample shape must be positive.", nameof(sampleShape));
            }
            sampleSize = checked(sampleSize * dimension);
        }
        return sampleSize;
    }
}

namespace Compression.Abstractions.Data;

/// <summary>
/// A data split held in memory: row-major features (already normalised) and class labels, where a
/// sample without a label (transfer data) has <see cref="NoLabel"/>.
/// </summary>
public sealed class LabelledData
{
    /// <summary>
    /// The label of a sample whose class is not known. It is -100, the default <c>ignore_index</c> of
    /// TorchSharp's (and PyTorch's) <c>cross_entropy</c>, so a plain cross entropy skips such samples.
    /// </summary>
    public const int NoLabel = -100;

    /// <summary>Creates a split, checking that the arrays agree with each other.</summary>
    /// <param name="features">Row-major features, <paramref name="labels"/>.Length times the product of <paramref name="sampleShape"/>.</param>
    /// <param name="sampleShape">Shape of one sample, e.g. [1, 28, 28] for a grey image or [n] for a feature vector.</param>
    /// <param name="labels">Class index of each sample, in [0, class count).</param>
    public LabelledData(float[] features, int[] sampleShape, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(labels);
        int sampleSize = 1;
        foreach (int dimension in sampleShape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException("Every dimension of a sample shape must be positive.", nameof(sampleShape));
            }
            sampleSize *= dimension;
        }
        if ((long)labels.Length * sampleSize != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels of {sampleSize} features each need {(long)labels.Length * sampleSize} values, not {features.Length}.",
                nameof(features));
        }
        Features = features;
        SampleShape = sampleShape;
        Labels = labels;
        SampleSize = sampleSize;
    }

    /// <summary>Row-major features of all samples.</summary>
    public float[] Features { get; }

    /// <summary>Shape of one sample (without the batch dimension).</summary>
    public int[] SampleShape { get; }

    /// <summary>Class index of each sample, or <see cref="NoLabel"/>.</summary>
    public int[] Labels { get; }

    /// <summary>Number of features in one sample (the product of <see cref="SampleShape"/>).</summary>
    public int SampleSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The features of samples [start, start + count) as one contiguous span.</summary>
    public ReadOnlySpan<float> Rows(int start, int count) =>
        Features.AsSpan(start * SampleSize, count * SampleSize);

    /// <summary>The labels of samples [start, start + count).</summary>
    public ReadOnlySpan<int> LabelRows(int start, int count) => Labels.AsSpan(start, count);
}

using Compression.Abstractions.Data;

namespace Compression.Data.Batching;

/// <summary>
/// Mini-batch orders for trainers, independent of any tensor library: each epoch's order is a
/// function of (seed, epoch) only, so a training run is reproducible and a resumed run sees the
/// same batches. Evaluation uses <see cref="Sequential"/> ranges, which read contiguous rows.
/// </summary>
public static class Batches
{
    /// <summary>The order in which to visit <paramref name="count"/> samples in one epoch.</summary>
    /// <param name="count">Number of samples.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch number (0-based); each epoch gets a different order.</param>
    public static int[] EpochOrder(int count, int seed, int epoch) =>
        SeededShuffle.Permutation(count, seed, epoch + 1L);

    /// <summary>
    /// The shuffled batches of one epoch, as slices of <see cref="EpochOrder"/>. The last batch is
    /// shorter when <paramref name="batchSize"/> does not divide <paramref name="count"/>, unless
    /// <paramref name="dropLast"/> drops it.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<int>> Shuffled(int count, int batchSize, int seed, int epoch, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int[] order = EpochOrder(count, seed, epoch);
        return Slices(order, batchSize, dropLast);
    }

    /// <summary>Consecutive (start, count) ranges covering [0, <paramref name="count"/>), for evaluation.</summary>
    public static IEnumerable<(int Start, int Count)> Sequential(int count, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        for (int start = 0; start < count; start += batchSize)
        {
            yield return (start, Math.Min(batchSize, count - start));
        }
    }

    /// <summary>Number of batches in an epoch.</summary>
    public static int Count(int count, int batchSize, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
    }

    /// <summary>
    /// Copies the rows at <paramref name="indices"/> into contiguous buffers (e.g. to build one
    /// tensor per batch).
    /// </summary>
    /// <param name="data">The split to read.</param>
    /// <param name="indices">Sample indices, e.g. one batch from <see cref="Shuffled"/>.</param>
    /// <param name="features">At least indices.Length * data.SampleSize values.</param>
    /// <param name="labels">At least indices.Length values.</param>
    public static void Gather(LabelledData data, ReadOnlySpan<int> indices, Span<float> features, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        int size = data.SampleSize;
        if (features.Length < indices.Length * size || labels.Length < indices.Length)
        {
            throw new ArgumentException($"{indices.Length} samples need {indices.Length * size} feature values and {indices.Length} labels; the buffers hold {features.Length} and {labels.Length}.");
        }
        for (int i = 0; i < indices.Length; i++)
        {
            data.Rows(indices[i], 1).CopyTo(features.Slice(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }
    }

    private static IEnumerable<ReadOnlyMemory<int>> Slices(int[] order, int batchSize, bool dropLast)
    {
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int length = Math.Min(batchSize, order.Length - start);
            if (length < batchSize && dropLast)
            {
                yield break;
            }
            yield return order.AsMemory(start, length);
        }
    }
}

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

    /// <summary>
    /// The shuffled batches of one epoch over samples of two kinds (labelled and not), with the first
    /// kind spread evenly: each batch gets its proportional share of each kind, so no batch of a mostly
    /// unlabelled set lacks hard labels by chance. Within a kind the order is seeded by (seed, epoch);
    /// every sample is visited once per epoch.
    /// </summary>
    /// <param name="isFirstKind">Per sample: true for the kind to spread (e.g. has a label).</param>
    /// <param name="batchSize">Samples per batch; the last batch may be shorter.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch number (0-based).</param>
    public static IEnumerable<ReadOnlyMemory<int>> Spread(IReadOnlyList<bool> isFirstKind, int batchSize, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(isFirstKind);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int count = isFirstKind.Count;
        int[] first = Enumerable.Range(0, count).Where(i => isFirstKind[i]).ToArray();
        int[] second = Enumerable.Range(0, count).Where(i => !isFirstKind[i]).ToArray();
        Shuffle(first, seed, (2L * epoch) + 1_000_001);
        Shuffle(second, seed, (2L * epoch) + 1_000_002);
        int batches = Count(count, batchSize);
        var order = new int[count];
        int written = 0;
        for (int b = 0; b < batches; b++)
        {
            // Batch b takes the b-th proportional slice of each kind; the slices tile both lists exactly.
            int size = Math.Min(batchSize, count - (b * batchSize));
            int firstFrom = (int)((long)first.Length * b * batchSize / count);
            int firstTo = (int)((long)first.Length * Math.Min((b + 1L) * batchSize, count) / count);
            int secondFrom = (b * batchSize) - firstFrom;
            int fromFirst = firstTo - firstFrom;
            first.AsSpan(firstFrom, fromFirst).CopyTo(order.AsSpan(written));
            second.AsSpan(secondFrom, size - fromFirst).CopyTo(order.AsSpan(written + fromFirst));
            written += size;
        }
        return Slices(order, batchSize, dropLast: false);
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
            data.CopyRows(indices[i], 1, features.Slice(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }
    }

    private static void Shuffle(int[] items, int seed, long stream)
    {
        int[] permutation = SeededShuffle.Permutation(items.Length, seed, stream);
        int[] copy = [.. items];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = copy[permutation[i]];
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

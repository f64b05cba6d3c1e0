using Compression.Data.Batching;

namespace Compression.Data.Loading;

/// <summary>
/// Chooses which training rows keep their labels when only some are to be labelled
/// (<c>data.labeledCount</c>): a seeded sample stratified by class, so the labelled subset has the
/// class balance of the whole. Each class present gets a quota proportional to its frequency, rounded
/// by largest remainder so the quotas sum to exactly the count; when the count is at least the number
/// of classes present, every class gets at least one row. Within a class, rows are taken in the
/// order of a seeded shuffle.
/// </summary>
public static class StratifiedSubset
{
    /// <summary>
    /// The shuffle stream of this choice, distinct from the validation split's (0) and the training
    /// epochs' (1, 2, ...), so that changing the labelled count does not move the validation rows.
    /// </summary>
    private const long ShuffleStream = -1;

    /// <summary>Splits the rows [0, labels.Length) into those that keep their labels and those whose labels are hidden.</summary>
    /// <param name="labels">The class of each row (0 or more).</param>
    /// <param name="count">How many rows keep their labels, in [0, labels.Length].</param>
    /// <param name="seed">Seeds the choice within each class.</param>
    /// <returns>Both lists of row indices, in ascending (file) order.</returns>
    public static (int[] Kept, int[] Hidden) Choose(ReadOnlySpan<int> labels, int count, int seed)
    {
        SortedDictionary<int, int> quotas = Quotas(labels, count);
        int[] order = SeededShuffle.Permutation(labels.Length, seed, ShuffleStream);
        var kept = new bool[labels.Length];
        foreach (int row in order)
        {
            int label = labels[row];
            if (quotas[label] > 0)
            {
                quotas[label]--;
                kept[row] = true;
            }
        }
        var keptRows = new List<int>(count);
        var hiddenRows = new List<int>(labels.Length - count);
        for (int row = 0; row < kept.Length; row++)
        {
            (kept[row] ? keptRows : hiddenRows).Add(row);
        }
        return ([.. keptRows], [.. hiddenRows]);
    }

    /// <summary>
    /// How many rows of each class present keep their labels: the proportional share
    /// count * rows of the class / rows, rounded down, plus one for the classes with the largest
    /// remainders (ties to the lower class) until the quotas sum to <paramref name="count"/>. Then, if
    /// <paramref name="count"/> is at least the number of classes present, each class left at 0 takes
    /// one from the class whose quota most exceeds its share.
    /// </summary>
    /// <param name="labels">The class of each row (0 or more).</param>
    /// <param name="count">The total, in [0, labels.Length].</param>
    /// <returns>Class to quota, for every class present, in class order.</returns>
    public static SortedDictionary<int, int> Quotas(ReadOnlySpan<int> labels, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, labels.Length);
        var frequency = new SortedDictionary<int, int>();
        foreach (int label in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            frequency[label] = frequency.GetValueOrDefault(label) + 1;
        }
        int[] classes = [.. frequency.Keys];
        long total = labels.Length;
        var quota = new long[classes.Length];
        var remainder = new long[classes.Length];
        long assigned = 0;
        for (int i = 0; i < classes.Length; i++)
        {
            long share = (long)count * frequency[classes[i]];
            quota[i] = share / total;
            remainder[i] = share % total;
            assigned += quota[i];
        }
        foreach (int i in Enumerable.Range(0, classes.Length).OrderByDescending(i => remainder[i]).ThenBy(i => i).Take((int)(count - assigned)))
        {
            quota[i]++;
        }
        if (count >= classes.Length)
        {
            for (int i = 0; i < classes.Length; i++)
            {
                if (quota[i] > 0)
                {
                    continue;
                }
                // The donor exceeds its exact share count * n / total by the most (compared in units of 1 / total).
                int donor = Enumerable.Range(0, classes.Length)
                    .Where(j => quota[j] >= 2)
                    .OrderByDescending(j => (quota[j] * total) - ((long)count * frequency[classes[j]]))
                    .ThenByDescending(j => quota[j])
                    .ThenBy(j => j)
                    .First();
                quota[donor]--;
                quota[i] = 1;
            }
        }
        var quotas = new SortedDictionary<int, int>();
        for (int i = 0; i < classes.Length; i++)
        {
            quotas[classes[i]] = (int)quota[i];
        }
        return quotas;
    }
}

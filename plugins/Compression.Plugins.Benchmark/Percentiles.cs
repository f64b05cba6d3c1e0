namespace Compression.Plugins.Benchmark;

/// <summary>Nearest-rank percentiles: the smallest sample with at least q% of samples at or below it.</summary>
public static class Percentiles
{
    public static double NearestRank(IReadOnlyList<double> sortedAscending, double percentile)
    {
        if (sortedAscending.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(sortedAscending));
        }
        if (percentile is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "must be in (0, 100]");
        }
        int rank = (int)Math.Ceiling(percentile / 100 * sortedAscending.Count);
        return sortedAscending[Math.Clamp(rank, 1, sortedAscending.Count) - 1];
    }
}

namespace Compression.Models.Pruning;

/// <summary>
/// The gradual pruning schedule of Zhu and Gupta 2017 ("To prune, or not to prune"), with an initial
/// sparsity of 0 and one pruning event per round: after round t of n the share pruned is
/// s_f * (1 - (1 - t/n)^3). Most is removed early, while the network still has the redundancy to
/// recover, and the last rounds remove little.
/// </summary>
public static class SparsitySchedule
{
    /// <summary>The share of the final amount reached after round <paramref name="round"/> (1-based) of <paramref name="rounds"/>.</summary>
    public static double Progress(int round, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, rounds);
        double remaining = 1.0 - ((double)round / rounds);
        return 1.0 - (remaining * remaining * remaining);
    }

    /// <summary>Sparsity after round <paramref name="round"/> of <paramref name="rounds"/> towards <paramref name="final"/>.</summary>
    public static double Sparsity(double final, int round, int rounds) => final * Progress(round, rounds);
}

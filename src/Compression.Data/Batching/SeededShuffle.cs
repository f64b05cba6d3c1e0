namespace Compression.Data.Batching;

/// <summary>
/// Permutations from a seed with our own generator (SplitMix64), so that a shuffle is the same on
/// every runtime version and machine: <see cref="Random"/>'s sequence is not a documented contract.
/// </summary>
internal static class SeededShuffle
{
    /// <summary>A permutation of [0, count) determined by (seed, stream).</summary>
    public static int[] Permutation(int count, long seed, long stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        ulong state = Mix((ulong)seed) ^ Mix(((ulong)stream * 0x9E3779B97F4A7C15UL) + 0xD1B54A32D192ED03UL);
        for (int i = count - 1; i > 0; i--)
        {
            int j = Below(ref state, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static int Below(ref ulong state, int bound) =>
        (int)(((UInt128)Next(ref state) * (ulong)bound) >> 64);

    private static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

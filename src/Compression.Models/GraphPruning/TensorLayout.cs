namespace Compression.Models.GraphPruning;

/// <summary>
/// How a tensor's channel axis (axis 1) is made of channel groups: consecutive segments (one, or
/// several after a Concat), each channel <see cref="Block"/> elements wide (more than 1 after a Flatten).
/// </summary>
internal sealed record TensorLayout(IReadOnlyList<(int Group, int Count)> Segments, long Block)
{
    public static TensorLayout Of(int group, int channels) => new([(group, channels)], 1);

    /// <summary>Channels along the axis.</summary>
    public long Channels => Segments.Sum(s => (long)s.Count);

    /// <summary>Elements along the axis.</summary>
    public long Width => Channels * Block;

    /// <summary>Whether <paramref name="other"/> has segments of the same sizes and the same block.</summary>
    public bool Matches(TensorLayout other) =>
        Block == other.Block && Segments.Count == other.Segments.Count && Segments.Zip(other.Segments).All(p => p.First.Count == p.Second.Count);
}

namespace Compression.Models.GraphPruning;

/// <summary>
/// Channels of an ONNX graph that must be pruned together: the output channels of a Conv (or the
/// units of a Gemm or MatMul) and everything tied to them, such as the BatchNormalization after it,
/// the next Conv's input channels and, through an Add, the other branch's channels.
/// </summary>
public sealed class GraphChannelGroup
{
    internal GraphChannelGroup(int id, int channels, string? fixedReason, IReadOnlyList<string> producers, IReadOnlyList<ChannelSlice> slices)
    {
        (Id, Channels, FixedReason, Producers, Slices) = (id, channels, fixedReason, producers, slices);
    }

    /// <summary>The group's id, unique within its <see cref="GraphChannels"/>.</summary>
    public int Id { get; }

    /// <summary>Channels in the group.</summary>
    public int Channels { get; }

    /// <summary>Why the group must keep every channel (a graph output, an operator the pruner does not follow, ...), or null.</summary>
    public string? FixedReason { get; }

    /// <summary>Whether channels may be removed: nothing fixes the group and it has more than one.</summary>
    public bool Prunable => FixedReason is null && Channels > 1;

    /// <summary>The nodes whose outputs start the group (Conv, Gemm, MatMul), by name; several when an Add joins branches.</summary>
    public IReadOnlyList<string> Producers { get; }

    /// <summary>Every initializer slice tied to the group's channels.</summary>
    public IReadOnlyList<ChannelSlice> Slices { get; }
}

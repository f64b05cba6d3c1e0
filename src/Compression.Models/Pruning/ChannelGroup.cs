namespace Compression.Models.Pruning;

/// <summary>
/// Channels that must be removed together (DepGraph's "group", Fang et al. 2023): a channel produced
/// by one layer is read by the next, normalised by a batchnorm, filtered by a depthwise conv, and added
/// to another branch's channel by a residual block, so all those slices go or stay as one.
/// </summary>
/// <param name="Id">Stable within one graph: the order groups appear in walking the spec.</param>
/// <param name="Channels">Channels in the group (every member agrees).</param>
/// <param name="Members">The slices of every layer tied to these channels.</param>
/// <param name="FixedReason">Why the group cannot be pruned (the model's input or output, an excluded layer, a grouped conv), or null.</param>
public sealed record ChannelGroup(int Id, int Channels, IReadOnlyList<ChannelMember> Members, string? FixedReason)
{
    /// <summary>Whether channels can be removed: not fixed, and more than one channel (never prune to zero).</summary>
    public bool Prunable => FixedReason is null && Channels > 1;

    /// <summary>The layers that produce the group's channels (conv/linear outputs and projections).</summary>
    public IEnumerable<LayerPath> Producers => Members.Where(m => m.Role is MemberRole.Output or MemberRole.ProjectionOutput).Select(m => m.Layer);
}

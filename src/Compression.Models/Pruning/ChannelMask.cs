using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>
/// Zeroes, in place, what makes the channels a selection drops: their filters and biases, their
/// batchnorm scale and shift, a projection's rows. Each dropped channel then carries exactly zero, so
/// the masked model computes what the physically pruned one does: the check that removal is right.
/// </summary>
public static class ChannelMask
{
    public static void Apply(SequentialModel model, ChannelGraph graph, ChannelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(selection);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (ChannelGroup group in graph.Groups.Where(g => selection.Touches(g.Id)))
        {
            var kept = selection.Kept(group).ToHashSet();
            long[] dropped = Enumerable.Range(0, group.Channels).Where(c => !kept.Contains(c)).Select(c => (long)c).ToArray();
            if (dropped.Length == 0)
            {
                continue;
            }
            foreach (ChannelMember member in group.Members.Where(m => m.Role is MemberRole.Output or MemberRole.Norm or MemberRole.Depthwise or MemberRole.ProjectionOutput))
            {
                var (module, _) = ModuleLookup.Of(model, member);
                foreach (var (name, values) in module.state_dict())
                {
                    if (name is "weight" or "bias")
                    {
                        ChannelImportance.PerChannel(values, 0, group.Channels).index_fill_(0, tensor(dropped), 0);
                    }
                }
            }
        }
    }
}

using System.Globalization;
using Compression.Models.Pruning;
using Compression.Onnx.Proto;

namespace Compression.Models.GraphPruning;

/// <summary>
/// How many channels each group of a graph keeps, and which: every prunable group keeps the same share
/// (as <see cref="ChannelAllocator"/> does for specs), the largest whose pruned graph meets the target,
/// measured on the edited graph itself (multiply-adds by <see cref="Onnx.OnnxFlops"/>, or parameters)
/// and found by bisection; within a group the channels of highest importance stay; every group keeps
/// at least one channel, and counts are multiples of <see cref="PruningTarget.RoundTo"/>.
/// </summary>
public static class GraphChannelAllocator
{
    /// <summary>Kept channels (sorted) per group id that loses any, meeting <paramref name="target"/> for <paramref name="model"/>.</summary>
    /// <param name="model">The graph to prune (the previous round's, in rounds).</param>
    /// <param name="channels">Its groups.</param>
    /// <param name="scores">Importance per prunable group id.</param>
    /// <param name="target">The ratio of <see cref="PruningTarget.ReferenceCost"/> (the unpruned graph's) to meet, and fixed counts per group.</param>
    /// <exception cref="PruningTargetException">The target cannot be met with at least one channel per group, or the graph's FLOPs cannot be counted.</exception>
    public static IReadOnlyDictionary<int, int[]> Allocate(ModelProto model, GraphChannels channels, IReadOnlyDictionary<int, double[]> scores, PruningTarget target)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(target);
        List<GraphChannelGroup> groups = [.. channels.Groups.Where(g => g.Prunable)];
        if (target.Ratio is not double ratio)
        {
            return Select(groups, scores, target, 1.0);
        }
        ModelProto skeleton = GraphPruner.Skeleton(model);
        long Cost(IReadOnlyDictionary<int, int[]> selection) => GraphCost.Of(GraphPruner.Edit(skeleton, channels, selection, dimsOnly: true), target.Measure);
        long limit = (long)Math.Floor(ratio * target.ReferenceCost);
        IReadOnlyDictionary<int, int[]> smallest = Select(groups, scores, target, 0);
        long smallestCost = Cost(smallest);
        if (smallestCost > limit)
        {
            throw new PruningTargetException(string.Create(CultureInfo.InvariantCulture,
                $"{target.Measure} ratio {ratio:0.###} cannot be reached: with the fewest channels left in every prunable group (one{(target.RoundTo > 1 ? $", or {target.RoundTo} with roundTo" : "")}) the graph still has {smallestCost:N0} {target.Measure} ({(double)smallestCost / target.ReferenceCost:0.###} of {target.ReferenceCost:N0}); {groups.Count} of {channels.Groups.Count} channel groups are prunable, the others keep every channel"));
        }
        IReadOnlyDictionary<int, int[]> whole = Select(groups, scores, target, 1.0);
        if (Cost(whole) <= limit)
        {
            return whole;
        }
        double low = 0, high = 1;
        IReadOnlyDictionary<int, int[]> best = smallest;
        for (int i = 0; i < 30; i++)
        {
            double share = (low + high) / 2;
            IReadOnlyDictionary<int, int[]> candidate = Select(groups, scores, target, share);
            if (Cost(candidate) <= limit)
            {
                (low, best) = (share, candidate);
            }
            else
            {
                high = share;
            }
        }
        return best;
    }

    private static Dictionary<int, int[]> Select(List<GraphChannelGroup> groups, IReadOnlyDictionary<int, double[]> scores, PruningTarget target, double share)
    {
        var selection = new Dictionary<int, int[]>();
        foreach (GraphChannelGroup group in groups)
        {
            int keep = target.GroupKeep.TryGetValue(group.Id, out int fixedCount) ? fixedCount : ChannelAllocator.Count(share, group.Channels, target.RoundTo);
            if (keep >= group.Channels)
            {
                continue;
            }
            double[] score = scores[group.Id];
            selection[group.Id] = [.. Enumerable.Range(0, group.Channels).OrderByDescending(c => score[c]).ThenBy(c => c).Take(keep).Order()];
        }
        return selection;
    }
}

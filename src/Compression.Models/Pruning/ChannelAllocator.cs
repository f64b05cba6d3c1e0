using System.Globalization;
using Compression.Models.Spec;

namespace Compression.Models.Pruning;

/// <summary>
/// Decides how many channels each group keeps and which: every prunable group keeps the same share
/// (Torch-Pruning's default, non-global allocation), the largest share whose pruned spec meets the
/// target, found by bisection since cost only grows with the share; within a group the channels of
/// highest importance stay. Every group keeps at least one channel.
/// </summary>
public static class ChannelAllocator
{
    /// <summary>The selection meeting <paramref name="target"/> for <paramref name="spec"/>.</summary>
    /// <exception cref="PruningTargetException">The target needs fewer than one channel in some layer.</exception>
    public static ChannelSelection Allocate(ModelSpec spec, ChannelGraph graph, IReadOnlyDictionary<int, double[]> scores, PruningTarget target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        List<ChannelGroup> groups = graph.Groups.Where(g => g.Prunable).ToList();
        if (target.Ratio is not double ratio)
        {
            return Select(spec, graph, groups, scores, target, 1.0);
        }
        long limit = (long)Math.Floor(ratio * target.ReferenceCost);
        ChannelSelection smallest = Select(spec, graph, groups, scores, target, 0);
        long smallestCost = target.CostOf(ChannelPruner.PrunedSpec(spec, graph, smallest));
        if (smallestCost > limit)
        {
            throw new PruningTargetException(string.Create(CultureInfo.InvariantCulture,
                $"{target.Measure} ratio {ratio:0.###} cannot be reached: with the fewest channels left in every prunable layer (one{(target.RoundTo > 1 ? $", or {target.RoundTo} with roundTo" : "")}) the model still has {smallestCost:N0} {target.Measure} ({(double)smallestCost / target.ReferenceCost:0.###} of {target.ReferenceCost:N0}), and a layer is never pruned to no channels"));
        }
        double low = 0, high = 1;
        ChannelSelection best = smallest;
        for (int i = 0; i < 30; i++)
        {
            double share = (low + high) / 2;
            ChannelSelection candidate = Select(spec, graph, groups, scores, target, share);
            if (target.CostOf(ChannelPruner.PrunedSpec(spec, graph, candidate)) <= limit)
            {
                (low, best) = (share, candidate);
            }
            else
            {
                high = share;
            }
        }
        ChannelSelection whole = Select(spec, graph, groups, scores, target, 1.0);
        return target.CostOf(ChannelPruner.PrunedSpec(spec, graph, whole)) <= limit ? whole : best;
    }

    /// <summary>Each group keeps round(share x channels) of its most important channels (at least one), or its fixed count.</summary>
    private static ChannelSelection Select(ModelSpec spec, ChannelGraph graph, List<ChannelGroup> groups, IReadOnlyDictionary<int, double[]> scores, PruningTarget target, double share)
    {
        var counts = groups.ToDictionary(g => g.Id, g => target.GroupKeep.TryGetValue(g.Id, out int fixedCount)
            ? fixedCount
            : Count(share, g.Channels, target.RoundTo));
        // A residual block whose projection joined different widths must not come out with equal ones:
        // the spec would then add its input as it is and the projection's weights would be lost.
        for (int attempt = 0; ; attempt++)
        {
            ChannelSelection selection = Build(groups, scores, counts);
            if (ChangedShortcut(spec, ChannelPruner.PrunedSpec(spec, graph, selection), groups) is not int group || attempt > 4)
            {
                return selection;
            }
            counts[group] = counts[group] < groups.First(g => g.Id == group).Channels ? counts[group] + 1 : counts[group] - 1;
        }
    }

    /// <summary>round(share x channels), at least one, as a multiple of <paramref name="roundTo"/> when the group is larger than that.</summary>
    internal static int Count(double share, int channels, int roundTo)
    {
        if (roundTo <= 1)
        {
            return Math.Clamp((int)Math.Round(share * channels, MidpointRounding.AwayFromZero), 1, channels);
        }
        if (channels <= roundTo)
        {
            return channels;
        }
        int rounded = roundTo * Math.Max(1, (int)Math.Round(share * channels / roundTo, MidpointRounding.AwayFromZero));
        return Math.Min(rounded, channels);
    }

    private static ChannelSelection Build(List<ChannelGroup> groups, IReadOnlyDictionary<int, double[]> scores, Dictionary<int, int> counts)
    {
        var selection = new ChannelSelection();
        foreach (ChannelGroup group in groups)
        {
            int keep = counts[group.Id];
            if (keep >= group.Channels)
            {
                continue;
            }
            double[] score = scores[group.Id];
            selection.Keep(group.Id, Enumerable.Range(0, group.Channels).OrderByDescending(c => score[c]).ThenBy(c => c).Take(keep));
        }
        return selection;
    }

    /// <summary>The body-output group of a residual block whose shortcut kind the pruning changed, or null.</summary>
    private static int? ChangedShortcut(ModelSpec before, ModelSpec after, List<ChannelGroup> groups)
    {
        foreach (ChannelGroup group in groups)
        {
            foreach (ChannelMember member in group.Members.Where(m => m.Role == MemberRole.ProjectionOutput))
            {
                if (ShortcutKind(before, member.Layer) != ShortcutKind(after, member.Layer))
                {
                    return group.Id;
                }
            }
        }
        return null;
    }

    private static string? ShortcutKind(ModelSpec spec, LayerPath residual)
    {
        IReadOnlyList<LayerSpec> layers = spec.Layers;
        int[] input = spec.Input;
        for (int depth = 0; ; depth++)
        {
            IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(input, layers);
            int index = residual.Indices[depth];
            int[] entering = index == 0 ? input : shapes[index - 1];
            if (depth == residual.Indices.Count - 1)
            {
                return ResidualShortcut.Between(entering, shapes[index])?.Kind;
            }
            (layers, input) = (layers[index].Body, entering);
        }
    }
}

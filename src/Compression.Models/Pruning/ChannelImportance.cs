using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>
/// Importance of each channel of each prunable group, summed over every layer slice tied to it (as
/// DepGraph does: a channel is its filter, its batchnorm scale and the next layer's columns together).
/// Higher is more important.
/// </summary>
public static class ChannelImportance
{
    /// <summary>
    /// L1, L2 or batchnorm-scale scores per group id. For <see cref="ImportanceCriterion.BatchNormScale"/> a
    /// group without a batchnorm is scored by L1 and listed in <paramref name="fellBackToL1"/>.
    /// </summary>
    public static Dictionary<int, double[]> Magnitude(SequentialModel model, ChannelGraph graph, ImportanceCriterion criterion, ISet<int>? fellBackToL1 = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        if (criterion == ImportanceCriterion.Taylor)
        {
            throw new ArgumentException("Taylor importance needs gradients: use TaylorImportance", nameof(criterion));
        }
        var scores = new Dictionary<int, double[]>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (ChannelGroup group in graph.Groups.Where(g => g.Prunable))
        {
            bool useScale = criterion == ImportanceCriterion.BatchNormScale && group.Members.Any(m => m.Role == MemberRole.Norm);
            if (criterion == ImportanceCriterion.BatchNormScale && !useScale)
            {
                fellBackToL1?.Add(group.Id);
            }
            var total = new double[group.Channels];
            foreach (ChannelMember member in group.Members.Where(m => !useScale || m.Role == MemberRole.Norm))
            {
                var (module, dim) = ModuleLookup.Of(model, member);
                Tensor weight = module.state_dict()["weight"];
                Tensor slices = PerChannel(weight, dim, group.Channels);
                Tensor reduced = criterion == ImportanceCriterion.L2 ? slices.square().sum(1) : slices.abs().sum(1);
                Add(total, reduced);
            }
            scores[group.Id] = criterion == ImportanceCriterion.L2 ? total.Select(Math.Sqrt).ToArray() : total;
        }
        return scores;
    }

    /// <summary><paramref name="tensor"/> as [channels, everything tied to one channel] along <paramref name="dim"/>.</summary>
    internal static Tensor PerChannel(Tensor tensor, int dim, int channels)
    {
        Tensor moved = dim == 0 ? tensor : tensor.transpose(0, dim);
        return moved.contiguous().reshape(channels, -1);
    }

    internal static void Add(double[] total, Tensor perChannel)
    {
        float[] values = perChannel.to_type(ScalarType.Float32).data<float>().ToArray();
        for (int c = 0; c < total.Length; c++)
        {
            total[c] += values[c];
        }
    }
}

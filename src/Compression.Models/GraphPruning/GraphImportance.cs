using Compression.Models.Pruning;
using Compression.Onnx.Proto;

namespace Compression.Models.GraphPruning;

/// <summary>
/// Importance of each channel of each prunable group of a graph, summed over every weight slice tied to
/// it (the producer's filter and each consumer's columns, as <see cref="ChannelImportance"/> does for
/// specs): L1 or L2 norm of the weights, or |BatchNormalization scale| (network slimming) where the group
/// has one. Higher is more important.
/// </summary>
public static class GraphImportance
{
    /// <summary>Scores per group id; a group scored by L1 because it has no BatchNormalization for <see cref="ImportanceCriterion.BatchNormScale"/> is added to <paramref name="fellBackToL1"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="ImportanceCriterion.Taylor"/>, which needs gradients.</exception>
    public static Dictionary<int, double[]> Scores(ModelProto model, GraphChannels channels, ImportanceCriterion criterion, ISet<int>? fellBackToL1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(channels);
        if (criterion == ImportanceCriterion.Taylor)
        {
            throw new ArgumentException("Taylor importance needs gradients; graphs are scored by l1, l2 or bn-scale", nameof(criterion));
        }
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var scores = new Dictionary<int, double[]>();
        foreach (GraphChannelGroup group in channels.Groups.Where(g => g.Prunable))
        {
            bool useScale = criterion == ImportanceCriterion.BatchNormScale && group.Slices.Any(s => s.Role == SliceRole.NormScale);
            if (criterion == ImportanceCriterion.BatchNormScale && !useScale)
            {
                fellBackToL1?.Add(group.Id);
            }
            var total = new double[group.Channels];
            foreach (ChannelSlice slice in group.Slices.Where(s => useScale ? s.Role == SliceRole.NormScale : s.Role == SliceRole.Weight))
            {
                TensorProto tensor = initializers[slice.Initializer];
                if (!values.TryGetValue(slice.Initializer, out float[]? data))
                {
                    data = FloatInitializers.Values(tensor);
                    values[slice.Initializer] = data;
                }
                Accumulate(total, data, [.. tensor.Dims], slice, criterion == ImportanceCriterion.L2);
            }
            scores[group.Id] = criterion == ImportanceCriterion.L2 ? [.. total.Select(Math.Sqrt)] : total;
        }
        return scores;
    }

    /// <summary>Adds |v| (or v squared) of every element whose index along the slice's axis falls in a channel's block.</summary>
    private static void Accumulate(double[] total, float[] data, long[] dims, ChannelSlice slice, bool squared)
    {
        long inner = dims.Skip(slice.Axis + 1).Aggregate(1L, (p, d) => p * d);
        long extent = dims[slice.Axis];
        long end = slice.Offset + (total.Length * slice.Block);
        for (long i = 0; i < data.LongLength; i++)
        {
            long index = i / inner % extent;
            if (index < slice.Offset || index >= end)
            {
                continue;
            }
            double v = data[i];
            total[(index - slice.Offset) / slice.Block] += squared ? v * v : Math.Abs(v);
        }
    }
}

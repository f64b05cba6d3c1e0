using Compression.Onnx.Proto;

namespace Compression.Models.GraphPruning;

/// <summary>
/// Removes channels from an ONNX graph: every initializer slice tied to a group loses the rows or
/// columns of the group's removed channels (Conv and Gemm weights and biases, BatchNormalization's
/// scale, bias, mean and variance, per-channel constants, a flattened map's blocks of Gemm columns),
/// depthwise convolutions get their new <c>group</c>, and shapes declared for the changed tensors
/// (value_info) are dropped, since runtimes infer them. Nodes and names stay as they were.
/// </summary>
public static class GraphPruner
{
    /// <summary>A copy of <paramref name="model"/> keeping, per group id in <paramref name="kept"/>, those channels (sorted indices); other groups keep all.</summary>
    /// <exception cref="ArgumentException">A listed group is not prunable, or its indices are empty, unsorted or out of range.</exception>
    public static ModelProto Prune(ModelProto model, GraphChannels channels, IReadOnlyDictionary<int, int[]> kept)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(kept);
        return Edit(model, channels, kept, dimsOnly: false);
    }

    /// <summary>
    /// A copy of <paramref name="model"/> whose float initializers hold no values, only their dims: what
    /// shape inference, FLOPs and parameter counts read, cheap to prune again and again while searching.
    /// </summary>
    internal static ModelProto Skeleton(ModelProto model)
    {
        ModelProto copy = model.Clone();
        foreach (TensorProto tensor in copy.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float))
        {
            tensor.RawData = Google.Protobuf.ByteString.Empty;
            tensor.FloatData.Clear();
        }
        return copy;
    }

    /// <summary>The edit; with <paramref name="dimsOnly"/> only the dims change (for a <see cref="Skeleton"/>).</summary>
    internal static ModelProto Edit(ModelProto model, GraphChannels channels, IReadOnlyDictionary<int, int[]> kept, bool dimsOnly)
    {
        ModelProto copy = model.Clone();
        GraphProto graph = copy.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var masks = new Dictionary<string, bool[][]>(StringComparer.Ordinal);
        var touched = new HashSet<int>();
        foreach ((int id, int[] indices) in kept)
        {
            GraphChannelGroup group = channels.Groups[id];
            Check(group, indices);
            if (indices.Length == group.Channels)
            {
                continue;
            }
            touched.Add(id);
            var keep = new bool[group.Channels];
            foreach (int index in indices)
            {
                keep[index] = true;
            }
            foreach (ChannelSlice slice in group.Slices)
            {
                TensorProto tensor = initializers[slice.Initializer];
                if (!masks.TryGetValue(slice.Initializer, out bool[][]? axes))
                {
                    axes = [.. tensor.Dims.Select(d => Enumerable.Repeat(true, (int)d).ToArray())];
                    masks[slice.Initializer] = axes;
                }
                for (int c = 0; c < group.Channels; c++)
                {
                    if (!keep[c])
                    {
                        Array.Fill(axes[slice.Axis], false, (int)(slice.Offset + (c * slice.Block)), (int)slice.Block);
                    }
                }
            }
        }
        foreach ((string name, bool[][] axes) in masks)
        {
            TensorProto tensor = initializers[name];
            long[] dims = [.. tensor.Dims];
            int[][] indices = [.. axes.Select(a => Enumerable.Range(0, a.Length).Where(i => a[i]).ToArray())];
            long[] newDims = [.. indices.Select(i => (long)i.Length)];
            if (dimsOnly)
            {
                tensor.Dims.Clear();
                tensor.Dims.AddRange(newDims);
            }
            else
            {
                FloatInitializers.Set(tensor, FloatInitializers.Slice(FloatInitializers.Values(tensor), dims, indices), newDims);
            }
            // IR < 4 lists initializers among the graph inputs too, with their shapes.
            foreach (ValueInfoProto input in graph.Input.Where(i => i.Name == name && i.Type?.TensorType?.Shape is not null))
            {
                var shape = input.Type.TensorType.Shape;
                for (int axis = 0; axis < Math.Min(shape.Dim.Count, newDims.Length); axis++)
                {
                    shape.Dim[axis] = new TensorShapeProto.Types.Dimension { DimValue = newDims[axis] };
                }
            }
        }
        int Remaining(TensorLayout layout) => layout.Segments.Sum(s => kept.TryGetValue(s.Group, out int[]? k) ? k.Length : s.Count);
        foreach ((int index, TensorLayout layout) in channels.Depthwise)
        {
            graph.Node[index].Attribute.First(a => a.Name == "group").I = Remaining(layout);
        }
        var changed = channels.Layouts.Where(p => p.Value.Segments.Any(s => touched.Contains(s.Group))).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (changed.Contains(graph.ValueInfo[i].Name))
            {
                graph.ValueInfo.RemoveAt(i);
            }
        }
        return copy;
    }

    private static void Check(GraphChannelGroup group, int[] indices)
    {
        if (indices.Length == group.Channels)
        {
            return;
        }
        if (!group.Prunable)
        {
            throw new ArgumentException($"group {group.Id} cannot lose channels: {group.FixedReason ?? "it has one channel"}");
        }
        if (indices.Length == 0 || indices[0] < 0 || indices[^1] >= group.Channels || indices.Zip(indices.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException($"group {group.Id} ({group.Channels} channels): kept channels must be sorted, distinct, in range and at least one");
        }
    }
}

using Compression.Models.Spec;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>
/// Physically removes channels: builds the smaller spec (fewer <c>out</c> in the producing layers, a
/// depthwise conv's groups with them: <see cref="Layers.LayerType.WithOutputWidth"/>) and a model of it whose every tensor is the original's with
/// the removed rows and columns left out. Nothing is masked: the result is an ordinary
/// <see cref="SequentialModel"/> that export, quantize and benchmark take as it is.
/// </summary>
public static class ChannelPruner
{
    /// <summary>The spec after removing what <paramref name="selection"/> does not keep.</summary>
    public static ModelSpec PrunedSpec(ModelSpec spec, ChannelGraph graph, ChannelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Slices slices = Slices.Of(graph, selection);
        return new ModelSpec(spec.Input, Rebuild(spec.Layers, LayerPath.Top, slices));
    }

    /// <summary>A new model of the pruned spec carrying <paramref name="model"/>'s remaining weights (in eval mode).</summary>
    public static SequentialModel Prune(SequentialModel model, ChannelGraph graph, ChannelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelSpec spec = PrunedSpec(model.Spec, graph, selection);
        Slices slices = Slices.Of(graph, selection);
        SequentialModel pruned = ModelFactory.Create(spec, seed: 0);
        using (no_grad())
        {
            CopyLayers(model.Layers, pruned.Layers, LayerPath.Top, slices);
        }
        pruned.eval();
        return pruned;
    }

    private static List<LayerSpec> Rebuild(IReadOnlyList<LayerSpec> layers, Func<int, LayerPath> pathOf, Slices slices)
    {
        var rebuilt = new List<LayerSpec>(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            LayerPath path = pathOf(i);
            if (layer.Body.Count > 0)
            {
                rebuilt.Add(layer with { Settings = layer.Settings.WithBody(Rebuild(layer.Body, path.Child, slices)) });
            }
            else if (slices.Outputs.TryGetValue(path, out long[]? kept) && layer.OutputWidth is not null)
            {
                rebuilt.Add(layer with { Settings = layer.Type.WithOutputWidth(layer.Settings, kept.Length) });
            }
            else
            {
                rebuilt.Add(layer);
            }
        }
        return rebuilt;
    }

    private static void CopyLayers(
        IReadOnlyList<nn.Module<Tensor, Tensor>> from, IReadOnlyList<nn.Module<Tensor, Tensor>> to, Func<int, LayerPath> pathOf, Slices slices)
    {
        for (int i = 0; i < from.Count; i++)
        {
            LayerPath path = pathOf(i);
            if (from[i] is ResidualBlock source && to[i] is ResidualBlock target)
            {
                CopyLayers(source.Body, target.Body, path.Child, slices);
                if (source.Projection is not null && target.Projection is not null)
                {
                    Copy(source.Projection, target.Projection, slices.ProjectionOutputs.GetValueOrDefault(path), slices.ProjectionInputs.GetValueOrDefault(path), false);
                }
                continue;
            }
            Copy(from[i], to[i], slices.Outputs.GetValueOrDefault(path), slices.Inputs.GetValueOrDefault(path), slices.Depthwise.Contains(path));
        }
    }

    /// <summary>Copies every parameter and buffer, keeping rows <paramref name="outputs"/> and weight columns <paramref name="inputs"/> (null: all).</summary>
    private static void Copy(nn.Module<Tensor, Tensor> from, nn.Module<Tensor, Tensor> to, long[]? outputs, long[]? inputs, bool depthwise)
    {
        Dictionary<string, Tensor> target = to.state_dict();
        foreach (var (name, tensor) in from.state_dict())
        {
            Tensor value = tensor;
            using var scope = NewDisposeScope();
            if (outputs is not null && tensor.dim() >= 1 && name != "num_batches_tracked")
            {
                value = value.index_select(0, torch.tensor(outputs));
            }
            if (inputs is not null && !depthwise && name == "weight" && tensor.dim() >= 2)
            {
                value = value.index_select(1, torch.tensor(inputs));
            }
            target[name].copy_(value);
        }
    }

    /// <summary>Per layer, the rows and columns that stay (expanded to feature columns after a flatten).</summary>
    private sealed class Slices
    {
        public Dictionary<LayerPath, long[]> Outputs { get; } = [];
        public Dictionary<LayerPath, long[]> Inputs { get; } = [];
        public HashSet<LayerPath> Depthwise { get; } = [];
        public Dictionary<LayerPath, long[]> ProjectionOutputs { get; } = [];
        public Dictionary<LayerPath, long[]> ProjectionInputs { get; } = [];

        public static Slices Of(ChannelGraph graph, ChannelSelection selection)
        {
            ArgumentNullException.ThrowIfNull(graph);
            ArgumentNullException.ThrowIfNull(selection);
            var slices = new Slices();
            foreach (ChannelGroup group in graph.Groups.Where(g => selection.Touches(g.Id)))
            {
                if (!group.Prunable)
                {
                    throw new ArgumentException($"group {group.Id} cannot be pruned: {group.FixedReason ?? "it has one channel"}");
                }
                int[] kept = selection.Kept(group);
                foreach (ChannelMember member in group.Members)
                {
                    long[] columns = Expand(kept, member.ColumnsPerChannel);
                    switch (member.Role)
                    {
                        case MemberRole.Output:
                        case MemberRole.Norm:
                            slices.Outputs[member.Layer] = columns;
                            break;
                        case MemberRole.Depthwise:
                            slices.Outputs[member.Layer] = columns;
                            slices.Depthwise.Add(member.Layer);
                            break;
                        case MemberRole.Input:
                            slices.Inputs[member.Layer] = columns;
                            break;
                        case MemberRole.ProjectionOutput:
                            slices.ProjectionOutputs[member.Layer] = columns;
                            break;
                        case MemberRole.ProjectionInput:
                            slices.ProjectionInputs[member.Layer] = columns;
                            break;
                    }
                }
            }
            return slices;
        }

        /// <summary>Channel c is features c*k .. c*k+k-1 after a flatten of k values per channel.</summary>
        private static long[] Expand(int[] channels, int perChannel) =>
            channels.SelectMany(c => Enumerable.Range(c * perChannel, perChannel)).Select(i => (long)i).ToArray();
    }
}

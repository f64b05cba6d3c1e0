using Compression.Models.Layers;
using Compression.Models.Spec;

namespace Compression.Models.Pruning;

/// <summary>
/// The channel groups of a spec, found from its structure alone, in the spirit of Torch-Pruning's
/// DepGraph (Fang et al. 2023) but for our specs, whose structure is explicit: a walk through the
/// layers carries "the group the current channels belong to", and each layer, by its kind's
/// <see cref="ChannelRole"/>, either reads it (a conv's input, a linear layer's input columns: several
/// per channel after a flatten), keeps it (a batchnorm, a depthwise conv, pools, activations), or starts
/// a new one (a conv's or linear layer's outputs; a kind that says nothing keeps both sides whole). A residual block with an identity shortcut merges its input's group with its body's
/// output group (both branches of the Add lose the same channels); a projection reads the one and
/// produces into the other. Groups are merged with union-find, so a chain of residual blocks ends up
/// as one group.
/// </summary>
public sealed class ChannelGraph
{
    private readonly List<int> _parent = [];
    private readonly List<int> _channels = [];
    private readonly List<List<ChannelMember>> _members = [];
    private readonly List<string?> _fixed = [];

    private ChannelGraph(ModelSpec spec, IReadOnlySet<string> excluded)
    {
        int input = NewSet(spec.Input[0], "the model's input");
        Flow output = Walk(spec.Layers, spec.Input, new Flow(input, 1), LayerPath.Top, excluded);
        Fix(output.Set, "the model's output (one per class)");
        Groups = Collect();
    }

    /// <summary>Every group, fixed ones included, in the order they first appear.</summary>
    public IReadOnlyList<ChannelGroup> Groups { get; }

    /// <summary>The groups of <paramref name="spec"/>; layers named in <paramref name="excluded"/> keep all their channels.</summary>
    public static ChannelGraph Of(ModelSpec spec, IReadOnlyCollection<string>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ChannelGraph(spec, new HashSet<string>(excluded ?? [], StringComparer.Ordinal));
    }

    /// <summary>The channel group entering layers and how many features one of its channels is.</summary>
    private readonly record struct Flow(int Set, int ColumnsPerChannel);

    private Flow Walk(IReadOnlyList<LayerSpec> layers, int[] firstInput, Flow flow, Func<int, LayerPath> pathOf, IReadOnlySet<string> excluded)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            LayerPath path = pathOf(i);
            int[] input = i == 0 ? firstInput : shapes[i - 1];
            bool isExcluded = layer.Name is string name && excluded.Contains(name);
            switch (layer.Type.PruningRole(layer.Settings, input))
            {
                case ChannelRole.Produce:
                    AddMember(flow.Set, new ChannelMember(path, MemberRole.Input, flow.ColumnsPerChannel));
                    flow = new Flow(NewSet(shapes[i][0], null), 1);
                    AddMember(flow.Set, new ChannelMember(path, MemberRole.Output));
                    break;
                case ChannelRole.Depthwise:
                    AddMember(flow.Set, new ChannelMember(path, MemberRole.Depthwise));
                    break;
                case ChannelRole.PerChannel:
                    AddMember(flow.Set, new ChannelMember(path, MemberRole.Norm, flow.ColumnsPerChannel));
                    break;
                case ChannelRole.Flatten:
                    flow = flow with { ColumnsPerChannel = flow.ColumnsPerChannel * input[1] * input[2] };
                    break;
                case ChannelRole.Residual:
                    flow = Residual(layer, input, shapes[i], flow, path, excluded);
                    break;
                case ChannelRole.Opaque:
                    // A layer that ties channels in ways removal would break (a grouped conv): keep both sides.
                    string description = layer.Type.DescribeOpaque(layer.Settings, path.ToString());
                    Fix(flow.Set, $"read by the {description}");
                    flow = new Flow(NewSet(shapes[i][0], $"made by the {description}"), 1);
                    break;
                default:
                    break; // Activations, pools, dropout: channel by channel, nothing to slice.
            }
            if (isExcluded)
            {
                Fix(flow.Set, $"layer '{layer.Name}' is excluded");
            }
        }
        return flow;
    }

    private Flow Residual(LayerSpec layer, int[] input, int[] output, Flow flow, LayerPath path, IReadOnlySet<string> excluded)
    {
        Flow body = Walk(layer.Body, input, flow, path.Child, excluded);
        ResidualShortcut shortcut = ResidualShortcut.Between(input, output)!;
        if (shortcut.Kind == "identity")
        {
            if (body.ColumnsPerChannel != flow.ColumnsPerChannel)
            {
                // Equal shapes, but one side's channel is several features: no channel-to-channel match.
                Fix(flow.Set, $"added in {path} to features of another layout");
                Fix(body.Set, $"added in {path} to features of another layout");
                return body;
            }
            Union(flow.Set, body.Set);
            return body;
        }
        AddMember(flow.Set, new ChannelMember(path, MemberRole.ProjectionInput, flow.ColumnsPerChannel));
        if (body.ColumnsPerChannel != 1)
        {
            Fix(body.Set, $"added in {path} to a projection's outputs");
            return body;
        }
        AddMember(body.Set, new ChannelMember(path, MemberRole.ProjectionOutput));
        return body;
    }

    private int NewSet(int channels, string? fixedReason)
    {
        _parent.Add(_parent.Count);
        _channels.Add(channels);
        _members.Add([]);
        _fixed.Add(fixedReason);
        return _parent.Count - 1;
    }

    private int Find(int set)
    {
        while (_parent[set] != set)
        {
            _parent[set] = _parent[_parent[set]];
            set = _parent[set];
        }
        return set;
    }

    private void Union(int a, int b)
    {
        (a, b) = (Find(a), Find(b));
        if (a == b)
        {
            return;
        }
        (a, b) = (Math.Min(a, b), Math.Max(a, b));
        _parent[b] = a;
        _members[a].AddRange(_members[b]);
        _fixed[a] ??= _fixed[b];
    }

    private void AddMember(int set, ChannelMember member) => _members[Find(set)].Add(member);

    private void Fix(int set, string reason) => _fixed[Find(set)] ??= reason;

    private List<ChannelGroup> Collect()
    {
        var groups = new List<ChannelGroup>();
        for (int set = 0; set < _parent.Count; set++)
        {
            if (Find(set) == set)
            {
                groups.Add(new ChannelGroup(groups.Count, _channels[set], _members[set], _fixed[set]));
            }
        }
        return groups;
    }
}

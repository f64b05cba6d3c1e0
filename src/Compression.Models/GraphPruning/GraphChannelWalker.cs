using System.Globalization;
using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.GraphPruning;

/// <summary>
/// Walks an ONNX graph in topological order carrying, per tensor, which channel groups its axis 1 is
/// made of (DepGraph's idea, Fang et al. 2023, on ONNX nodes). A Conv, Gemm or MatMul with a constant
/// weight starts a group; channel-wise nodes pass the layout on; Add and the other elementwise nodes
/// join their operands' groups; Concat lines them up; Flatten widens each channel to its spatial block.
/// The invariant that keeps edits safe: a tensor with no layout never changes shape, so every tracked
/// tensor reaching a node the walker does not understand has its groups fixed.
/// </summary>
internal sealed class GraphChannelWalker
{
    private static readonly HashSet<string> s_channelWise = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Erf", "Gelu", "Elu", "Selu", "Softplus",
        "Sqrt", "Neg", "Abs", "Exp", "Identity", "Dropout", "Cast", "Clip",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
    };

    private static readonly HashSet<string> s_elementwise = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow" };

    private readonly GraphProto _graph;
    private readonly IReadOnlyDictionary<string, long[]> _shapes;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, TensorProto> _constants;
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorLayout> _layouts = new(StringComparer.Ordinal);
    private readonly List<RawGroup> _groups = [];
    private readonly List<int> _parent = [];
    private readonly Dictionary<int, TensorLayout> _depthwise = [];
    private readonly Dictionary<string, int> _producedBy = new(StringComparer.Ordinal);

    private GraphChannelWalker(ModelProto model)
    {
        _graph = model.Graph ?? throw new OnnxImportException("the model has no graph");
        _shapes = OnnxShapes.Infer(model);
        _initializers = _graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _constants = new Dictionary<string, TensorProto>(_initializers, StringComparer.Ordinal);
        foreach (NodeProto node in _graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1))
        {
            if (node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is TensorProto value)
            {
                _constants[node.Output[0]] = value;
            }
        }
        foreach (string input in _graph.Node.SelectMany(n => n.Input).Concat(_graph.Output.Select(o => o.Name)).Where(n => n.Length > 0))
        {
            _uses[input] = _uses.GetValueOrDefault(input) + 1;
        }
    }

    /// <summary>Analyses <paramref name="model"/>; the groups produced by nodes named in <paramref name="exclude"/> keep every channel.</summary>
    public static GraphChannels Walk(ModelProto model, IReadOnlyCollection<string> exclude)
    {
        var walker = new GraphChannelWalker(model);
        var available = new HashSet<string>(walker._graph.Input.Select(i => i.Name).Concat(walker._initializers.Keys), StringComparer.Ordinal);
        foreach (int index in GraphOrder.Sort(walker._graph, available))
        {
            walker.Visit(walker._graph.Node[index], index);
        }
        foreach (ValueInfoProto output in walker._graph.Output)
        {
            walker.Fix(walker.LayoutOf(output.Name), $"reaches graph output '{output.Name}'");
        }
        foreach (string name in exclude)
        {
            if (walker._producedBy.TryGetValue(name, out int group))
            {
                walker.Fix(group, $"node '{name}' is excluded");
            }
        }
        return walker.Resolve();
    }

    /// <summary>A node's name, or its first output's when it has none.</summary>
    internal static string NameOf(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output[0];

    private void Visit(NodeProto node, int index)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            Unknown(node, $"{node.Domain}.{node.OpType}");
            return;
        }
        switch (node.OpType)
        {
            case "Conv":
                Conv(node, index);
                break;
            case "Gemm":
                Gemm(node);
                break;
            case "MatMul":
                MatMul(node);
                break;
            case "BatchNormalization":
                BatchNormalization(node);
                break;
            case "Flatten":
                Flatten(node);
                break;
            case "Reshape":
                Reshape(node);
                break;
            case "Concat":
                Concat(node);
                break;
            case "Constant":
                break;
            case var op when s_channelWise.Contains(op):
                ChannelWise(node);
                break;
            case var op when s_elementwise.Contains(op):
                Elementwise(node);
                break;
            default:
                Unknown(node, node.OpType);
                break;
        }
    }

    private void Conv(NodeProto node, int index)
    {
        TensorLayout? x = LayoutOf(node.Input[0]);
        if (node.Input.Count < 2 || Weight(node.Input[1], 3) is not TensorProto w
            || (Input(node, 2) is string bias && Weight(bias, 1) is null))
        {
            Unknown(node, "a weight or bias that is not a float constant read by this node alone");
            return;
        }
        long group = IntAttribute(node, "group") ?? 1;
        long outputs = w.Dims[0];
        string? b = Input(node, 2);
        if (group == 1)
        {
            if (x is not null)
            {
                if (x.Block != 1 || x.Width != w.Dims[1])
                {
                    Unknown(node, "input channels that do not match its weight");
                    return;
                }
                AddSlices(x, node.Input[1], 1, SliceRole.Weight);
            }
            int produced = NewGroup((int)outputs, node, null);
            AddSlice(produced, new ChannelSlice(node.Input[1], 0, 0, 1, SliceRole.Weight));
            if (b is not null)
            {
                AddSlice(produced, new ChannelSlice(b, 0, 0, 1, SliceRole.Bias));
            }
            SetOutput(node, TensorLayout.Of(produced, (int)outputs));
            return;
        }
        if (group == outputs && w.Dims[1] == 1 && (x is null || (x.Block == 1 && x.Width == group)))
        {
            // Depthwise: each output channel is its input channel's filter, so it follows the input's groups.
            if (x is not null)
            {
                AddSlices(x, node.Input[1], 0, SliceRole.Weight);
                if (b is not null)
                {
                    AddSlices(x, b, 0, SliceRole.Bias);
                }
                _depthwise[index] = x;
                SetOutput(node, x);
            }
            return;
        }
        Fix(x, string.Create(CultureInfo.InvariantCulture, $"read by grouped convolution {Describe(node)} (group = {group})"));
        SetOutput(node, TensorLayout.Of(NewGroup((int)outputs, node, string.Create(CultureInfo.InvariantCulture, $"produced by a grouped convolution (group = {group})")), (int)outputs));
    }

    private void Gemm(NodeProto node)
    {
        TensorLayout? x = LayoutOf(node.Input[0]);
        bool transB = IntAttribute(node, "transB") == 1;
        if ((IntAttribute(node, "transA") ?? 0) != 0 || node.Input.Count < 2 || Weight(node.Input[1], 2) is not TensorProto w || w.Dims.Count != 2)
        {
            Unknown(node, "transA, or a weight that is not a float matrix read by this node alone");
            return;
        }
        long k = transB ? w.Dims[1] : w.Dims[0], n = transB ? w.Dims[0] : w.Dims[1];
        ChannelSlice? biasSlice = null;
        if (Input(node, 2) is string c)
        {
            TensorProto? bias = Weight(c, 0);
            int? axis = bias is null ? null : BiasAxis(bias, n);
            if (bias is null || axis is null)
            {
                Unknown(node, "a C that is not a float constant of N values read by this node alone");
                return;
            }
            biasSlice = axis >= 0 ? new ChannelSlice(c, axis.Value, 0, 1, SliceRole.Bias) : null;
        }
        if (x is not null)
        {
            if (x.Width != k)
            {
                Unknown(node, "input features that do not match its weight");
                return;
            }
            AddSlices(x, node.Input[1], transB ? 1 : 0, SliceRole.Weight);
        }
        int produced = NewGroup((int)n, node, null);
        AddSlice(produced, new ChannelSlice(node.Input[1], transB ? 0 : 1, 0, 1, SliceRole.Weight));
        if (biasSlice is not null)
        {
            AddSlice(produced, biasSlice);
        }
        SetOutput(node, TensorLayout.Of(produced, (int)n));
    }

    private void MatMul(NodeProto node)
    {
        TensorLayout? x = LayoutOf(node.Input[0]);
        long[]? shape = _shapes.GetValueOrDefault(node.Input[0]);
        if (Weight(node.Input[1], 2) is not TensorProto w || w.Dims.Count != 2 || shape is not { Length: 2 })
        {
            Unknown(node, "not a [batch, features] input times a float matrix read by this node alone");
            return;
        }
        if (x is not null)
        {
            if (x.Width != w.Dims[0])
            {
                Unknown(node, "input features that do not match its weight");
                return;
            }
            AddSlices(x, node.Input[1], 0, SliceRole.Weight);
        }
        int produced = NewGroup((int)w.Dims[1], node, null);
        AddSlice(produced, new ChannelSlice(node.Input[1], 1, 0, 1, SliceRole.Weight));
        SetOutput(node, TensorLayout.Of(produced, (int)w.Dims[1]));
    }

    private void BatchNormalization(NodeProto node)
    {
        if (LayoutOf(node.Input[0]) is not TensorLayout x)
        {
            return;
        }
        SliceRole[] roles = [SliceRole.NormScale, SliceRole.Bias, SliceRole.NormStatistic, SliceRole.NormStatistic];
        if (node.Input.Count != 5 || node.Output.Skip(1).Any(o => o.Length > 0)
            || Enumerable.Range(1, 4).Any(i => Weight(node.Input[i], 1) is not TensorProto t || t.Dims.Count != 1 || t.Dims[0] != x.Width))
        {
            Unknown(node, "training form, or parameters that are not float constants read by this node alone");
            return;
        }
        for (int i = 1; i <= 4; i++)
        {
            AddSlices(x, node.Input[i], 0, roles[i - 1]);
        }
        SetOutput(node, x);
    }

    private void ChannelWise(NodeProto node)
    {
        if (node.Input.Skip(1).Any(i => LayoutOf(i) is not null) || node.Output.Skip(1).Any(o => o.Length > 0))
        {
            Unknown(node, "a second output, or a second input with channels");
            return;
        }
        if (LayoutOf(node.Input[0]) is TensorLayout x)
        {
            SetOutput(node, x);
        }
    }

    private void Flatten(NodeProto node)
    {
        if (LayoutOf(node.Input[0]) is not TensorLayout x)
        {
            return;
        }
        long[]? shape = _shapes.GetValueOrDefault(node.Input[0]);
        long axis = IntAttribute(node, "axis") ?? 1;
        if (shape is null || (axis != 1 && axis != 1 - shape.Length))
        {
            Unknown(node, "an axis other than 1, or an input of unknown shape");
            return;
        }
        SetOutput(node, x with { Block = x.Block * shape[2..].Aggregate(1L, (p, d) => p * d) });
    }

    private void Reshape(NodeProto node)
    {
        if (LayoutOf(node.Input[0]) is not TensorLayout x)
        {
            return;
        }
        long[]? shape = _shapes.GetValueOrDefault(node.Input[0]);
        long[]? target = node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? t) ? Longs(t) : null;
        // Only the flatten form [batch, -1] (batch as 0 or the batch itself) keeps working when channels go.
        if (shape is null || target is not { Length: 2 } || target[1] != -1 || (target[0] != 0 && target[0] != shape[0]))
        {
            Unknown(node, "a target shape other than [batch, -1]");
            return;
        }
        SetOutput(node, x with { Block = x.Block * shape[2..].Aggregate(1L, (p, d) => p * d) });
    }

    private void Elementwise(NodeProto node)
    {
        if (_shapes.GetValueOrDefault(node.Output[0]) is not { Length: >= 2 } output)
        {
            Unknown(node, "an output of unknown shape or of rank below 2");
            return;
        }
        var carriers = new List<TensorLayout>();
        var constants = new List<(string Name, int Axis)>();
        string? blocker = null;
        foreach (string input in node.Input.Where(i => i.Length > 0))
        {
            long[]? shape = _shapes.GetValueOrDefault(input);
            int axis = shape is null ? -1 : 1 - (output.Length - shape.Length);
            long extent = shape is null ? -1 : axis < 0 ? 1 : shape[axis];
            if (LayoutOf(input) is TensorLayout layout)
            {
                if (axis == 1 && extent == output[1])
                {
                    carriers.Add(layout);
                }
                else
                {
                    Fix(layout, $"broadcast by {Describe(node)}");
                }
            }
            else if (extent == 1 || output[1] == 1)
            {
                continue;
            }
            else if (_initializers.ContainsKey(input) && extent == output[1])
            {
                if (Weight(input, 1) is null)
                {
                    blocker ??= $"reads constant '{input}' per channel, and it is not a float constant read by this node alone";
                }
                constants.Add((input, axis));
            }
            else
            {
                blocker ??= $"joins '{input}', whose channels the pruner does not follow";
            }
        }
        if (blocker is not null || carriers.Count == 0)
        {
            foreach (TensorLayout carrier in carriers)
            {
                Fix(carrier, $"{Describe(node)} {blocker}");
            }
            return;
        }
        TensorLayout first = carriers[0];
        if (carriers.Skip(1).Any(c => !c.Matches(first)))
        {
            foreach (TensorLayout carrier in carriers)
            {
                Fix(carrier, $"{Describe(node)} joins tensors made of different channel groups");
            }
            return;
        }
        foreach (TensorLayout other in carriers.Skip(1))
        {
            for (int i = 0; i < first.Segments.Count; i++)
            {
                Union(first.Segments[i].Group, other.Segments[i].Group);
            }
        }
        foreach ((string name, int axis) in constants)
        {
            AddSlices(first, name, axis, SliceRole.Constant);
        }
        SetOutput(node, first);
    }

    private void Concat(NodeProto node)
    {
        TensorLayout?[] inputs = [.. node.Input.Select(LayoutOf)];
        if (inputs.All(l => l is null))
        {
            return;
        }
        long[]? output = _shapes.GetValueOrDefault(node.Output[0]);
        long axis = IntAttribute(node, "axis") ?? 0;
        if (output is null || (axis != 1 && axis != 1 - output.Length))
        {
            Unknown(node, "an axis other than 1, or an output of unknown shape");
            return;
        }
        long block = inputs.First(l => l is not null)!.Block;
        if (inputs.Any(l => l is not null && l.Block != block) || (block != 1 && inputs.Any(l => l is null)))
        {
            Unknown(node, "flattened inputs of different blocks");
            return;
        }
        var segments = new List<(int Group, int Count)>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is TensorLayout layout)
            {
                segments.AddRange(layout.Segments);
            }
            else if (_shapes.GetValueOrDefault(node.Input[i]) is { Length: > 1 } shape)
            {
                segments.Add((NewGroup((int)shape[1], null, $"concatenated by {Describe(node)} with '{node.Input[i]}', whose channels the pruner does not follow"), (int)shape[1]));
            }
            else
            {
                Unknown(node, "an input of unknown shape");
                return;
            }
        }
        SetOutput(node, new TensorLayout(segments, block));
    }

    /// <summary>A node the walker does not follow: whatever it reads keeps its channels, and its outputs are not tracked.</summary>
    private void Unknown(NodeProto node, string what)
    {
        foreach (string input in node.Input.Where(i => i.Length > 0))
        {
            Fix(LayoutOf(input), $"read by {Describe(node)} ({what}), which the pruner does not follow");
        }
    }

    /// <summary>The float initializer <paramref name="name"/> of rank at least <paramref name="minRank"/>, stored in the model and read by exactly one node input; else null.</summary>
    private TensorProto? Weight(string name, int minRank)
    {
        if (!_initializers.TryGetValue(name, out TensorProto? tensor) || tensor.DataType != (int)DataType.Float
            || tensor.Dims.Count < minRank || _uses.GetValueOrDefault(name) != 1
            || tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return null;
        }
        return tensor;
    }

    /// <summary>The axis of Gemm's C holding N values, -1 for a scalar bias, null for any other shape.</summary>
    private static int? BiasAxis(TensorProto bias, long n)
    {
        long[] dims = [.. bias.Dims];
        return dims switch
        {
            [] or [1] or [1, 1] when n != 1 => -1,
            [var d] when d == n => 0,
            [1, var d] when d == n => 1,
            _ => null,
        };
    }

    private static long[]? Longs(TensorProto tensor)
    {
        if (tensor.DataType != (int)DataType.Int64)
        {
            return null;
        }
        return tensor.RawData.IsEmpty
            ? [.. tensor.Int64Data]
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();
    }

    private static string? Input(NodeProto node, int index) => node.Input.Count > index && node.Input[index].Length > 0 ? node.Input[index] : null;

    private static long? IntAttribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;

    private static string Describe(NodeProto node) => node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : $"{node.OpType} -> '{node.Output[0]}'";

    private TensorLayout? LayoutOf(string tensor) => tensor.Length > 0 ? _layouts.GetValueOrDefault(tensor) : null;

    private void SetOutput(NodeProto node, TensorLayout layout) => _layouts[node.Output[0]] = layout;

    /// <summary>A new group of <paramref name="channels"/> made by <paramref name="producer"/> (null: channels the walker does not follow).</summary>
    private int NewGroup(int channels, NodeProto? producer, string? fixedReason)
    {
        string? name = producer is null ? null : NameOf(producer);
        _groups.Add(new RawGroup(channels, fixedReason, name));
        _parent.Add(_groups.Count - 1);
        if (name is not null)
        {
            _producedBy[name] = _groups.Count - 1;
        }
        return _groups.Count - 1;
    }

    private void AddSlice(int group, ChannelSlice slice) => _groups[group].Slices.Add(slice);

    private void AddSlices(TensorLayout layout, string initializer, int axis, SliceRole role)
    {
        long offset = 0;
        foreach ((int group, int count) in layout.Segments)
        {
            AddSlice(group, new ChannelSlice(initializer, axis, offset, layout.Block, role));
            offset += count * layout.Block;
        }
    }

    private void Fix(TensorLayout? layout, string reason)
    {
        foreach ((int group, _) in layout?.Segments ?? [])
        {
            Fix(group, reason);
        }
    }

    private void Fix(int group, string reason) => _groups[group].FixedReasons.Add(reason);

    private int Find(int group)
    {
        while (_parent[group] != group)
        {
            _parent[group] = _parent[_parent[group]];
            group = _parent[group];
        }
        return group;
    }

    private void Union(int a, int b)
    {
        (a, b) = (Find(a), Find(b));
        if (a != b)
        {
            _parent[Math.Max(a, b)] = Math.Min(a, b);
        }
    }

    private GraphChannels Resolve()
    {
        var sets = Enumerable.Range(0, _groups.Count).GroupBy(Find).OrderBy(g => g.Key).ToList();
        var ids = new Dictionary<int, int>();
        var groups = new List<GraphChannelGroup>();
        foreach (var set in sets)
        {
            RawGroup[] raw = [.. set.Select(i => _groups[i])];
            string? reason = raw.SelectMany(r => r.FixedReasons).FirstOrDefault();
            if (raw.Any(r => r.Channels != raw[0].Channels))
            {
                reason ??= "joins groups of different widths";
            }
            ChannelSlice[] slices = [.. raw.SelectMany(r => r.Slices)];
            foreach (ChannelSlice slice in slices)
            {
                TensorProto tensor = _initializers[slice.Initializer];
                if (slice.Axis >= tensor.Dims.Count || slice.Offset + (raw[0].Channels * slice.Block) > tensor.Dims[slice.Axis])
                {
                    reason ??= $"initializer '{slice.Initializer}' does not hold its channels";
                }
            }
            int id = groups.Count;
            foreach (int member in set)
            {
                ids[member] = id;
            }
            groups.Add(new GraphChannelGroup(id, raw[0].Channels, reason, [.. raw.Select(r => r.Producer).OfType<string>().Distinct()], slices));
        }
        TensorLayout Renumber(TensorLayout layout) => layout with { Segments = [.. layout.Segments.Select(s => (ids[s.Group], s.Count))] };
        return new GraphChannels(
            groups,
            _layouts.ToDictionary(p => p.Key, p => Renumber(p.Value), StringComparer.Ordinal),
            _depthwise.ToDictionary(p => p.Key, p => Renumber(p.Value)),
            _producedBy.ToDictionary(p => p.Key, p => ids[p.Value], StringComparer.Ordinal));
    }

    private sealed class RawGroup(int channels, string? fixedReason, string? producer)
    {
        public int Channels { get; } = channels;

        public List<string> FixedReasons { get; } = fixedReason is null ? [] : [fixedReason];

        public string? Producer { get; } = producer;

        public List<ChannelSlice> Slices { get; } = [];
    }
}

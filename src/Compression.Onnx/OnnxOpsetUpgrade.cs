using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>
/// Raises a model's default-domain opset (ONNX's own operators) in place, rewriting the operators
/// whose signature changed on the way, so that operators of the newer opset can be added to it (int8
/// quantization needs opset 13 for per-channel DequantizeLinear; pretrained models such as ML.NET's
/// ResNet-18 are opset 8). Written by hand: the ONNX project's version converter is Python/C++ only.
/// </summary>
/// <remarks>
/// Only what is known to be exact is done. An operator is either listed as unchanged in meaning from
/// some opset up to 13 (<see cref="s_unchangedFrom"/>, read off ONNX's Changelog.md), or rewritten
/// (attributes that became inputs; Softmax's coercion to 2-D, which opset 13 dropped, spelled out with
/// Flatten and Reshape), or the upgrade is refused naming every node it cannot carry, before anything
/// is changed. Nodes of other domains (com.microsoft) and models already at the target are left alone.
/// </remarks>
public static class OnnxOpsetUpgrade
{
    /// <summary>The highest opset this upgrade reaches; operators are checked against ONNX's changes up to it.</summary>
    public const long MaxTarget = 13;

    // The opset from which each operator means the same up to opset 13 (later versions only added types or
    // clarified the text). Below it the operator had attributes or broadcasting rules that 13 does not.
    private static readonly Dictionary<string, long> s_unchangedFrom = new(StringComparer.Ordinal)
    {
        ["Abs"] = 6, ["Add"] = 7, ["Sub"] = 7, ["Mul"] = 7, ["Div"] = 7, ["Pow"] = 7, ["PRelu"] = 7,
        ["Max"] = 8, ["Min"] = 8, ["Mean"] = 8, ["Sum"] = 8, ["Expand"] = 8, ["Where"] = 9, ["Erf"] = 9,
        ["Relu"] = 6, ["LeakyRelu"] = 6, ["Elu"] = 6, ["Selu"] = 6, ["Sigmoid"] = 6, ["HardSigmoid"] = 6, ["Tanh"] = 6,
        ["Softplus"] = 1, ["Softsign"] = 1, ["Exp"] = 6, ["Log"] = 6, ["Sqrt"] = 6, ["Neg"] = 6, ["Reciprocal"] = 6,
        ["Floor"] = 6, ["Ceil"] = 6, ["Cast"] = 6, ["Tile"] = 6, ["InstanceNormalization"] = 6, ["LRN"] = 1,
        ["Conv"] = 1, ["ConvTranspose"] = 1, ["MaxPool"] = 1, ["AveragePool"] = 7, ["GlobalAveragePool"] = 1, ["GlobalMaxPool"] = 1,
        ["BatchNormalization"] = 9, ["Gemm"] = 7, ["MatMul"] = 1, ["Flatten"] = 1, ["Reshape"] = 5, ["Transpose"] = 1,
        ["Concat"] = 4, ["Identity"] = 1, ["Constant"] = 1, ["Shape"] = 1, ["Gather"] = 1, ["Slice"] = 10,
        ["ReduceMean"] = 1, ["ReduceMax"] = 1, ["ReduceMin"] = 1, ["ReduceProd"] = 1, ["ReduceL1"] = 1, ["ReduceL2"] = 1,
        ["ReduceLogSumExp"] = 1, ["ReduceSumSquare"] = 1, ["ArgMax"] = 1, ["ArgMin"] = 1,
        ["Clip"] = 11, ["Pad"] = 11, ["Dropout"] = 12, ["Split"] = 13, ["Squeeze"] = 13, ["Unsqueeze"] = 13, ["ReduceSum"] = 13,
        ["Softmax"] = 13, ["LogSoftmax"] = 13, ["Hardmax"] = 13,
    };

    // Operators rewritten below their s_unchangedFrom opset, and the lowest opset each rewrite starts from.
    private static readonly Dictionary<string, long> s_rewritableFrom = new(StringComparer.Ordinal)
    {
        ["BatchNormalization"] = 7, ["Clip"] = 6, ["Pad"] = 2, ["Dropout"] = 7, ["Split"] = 2, ["Squeeze"] = 1,
        ["Unsqueeze"] = 1, ["ReduceSum"] = 1, ["Softmax"] = 1, ["LogSoftmax"] = 1, ["Hardmax"] = 1,
    };

    /// <summary>The model's default-domain opset (0 when it imports none).</summary>
    public static long DefaultOpset(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.OpsetImport.FirstOrDefault(IsDefaultDomain)?.Version ?? 0;
    }

    /// <summary>
    /// What stops <paramref name="model"/> being raised to <paramref name="target"/>: one line per node
    /// (name, operator, why); empty when the upgrade can be done (or is not needed).
    /// </summary>
    public static IReadOnlyList<string> Obstacles(ModelProto model, long target)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckTarget(target);
        long from = DefaultOpset(model);
        if (from >= target)
        {
            return [];
        }
        var obstacles = new List<string>();
        foreach (NodeProto node in model.Graph.Node.Where(n => IsDefaultDomain(n.Domain)))
        {
            string? why = Obstacle(model.Graph, node, from, target);
            if (why is not null)
            {
                obstacles.Add($"{Describe(node)}: {why}");
            }
        }
        return obstacles;
    }

    /// <summary>
    /// Raises <paramref name="model"/>'s default-domain opset to <paramref name="target"/> (and its IR
    /// version to one that allows it, dropping the graph inputs that IR versions below 4 required for
    /// every initializer); does nothing when it is already there. Returns the opset it had.
    /// </summary>
    /// <exception cref="InvalidOperationException">A node cannot be carried over; nothing was changed. The message lists every such node.</exception>
    public static long Upgrade(ModelProto model, long target)
    {
        ArgumentNullException.ThrowIfNull(model);
        long from = DefaultOpset(model);
        var obstacles = Obstacles(model, target);
        if (obstacles.Count > 0)
        {
            throw new InvalidOperationException($"cannot raise the model from opset {from} to {target}: {string.Join("; ", obstacles)}");
        }
        if (from >= target)
        {
            return from;
        }
        GraphProto graph = model.Graph;
        foreach (NodeProto node in graph.Node.Where(n => IsDefaultDomain(n.Domain)).ToList())
        {
            long unchangedFrom = s_unchangedFrom[node.OpType];
            if (from < unchangedFrom && target >= unchangedFrom)
            {
                Rewrite(graph, node, from);
            }
        }
        OperatorSetIdProto? opset = model.OpsetImport.FirstOrDefault(IsDefaultDomain);
        if (opset is null)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = target });
        }
        else
        {
            opset.Version = target;
        }
        // Opset 13 needs IR version 7 (ONNX's versioning table); a newer IR version is kept. Before IR 4
        // every initializer had to be listed as a graph input too, and runtimes treat such inputs as
        // constants; from IR 4 on a listed initializer is an input with a default the caller may
        // override, so the listing goes, or the model would gain inputs and lose constant folding.
        if (model.IrVersion < 4)
        {
            var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (ValueInfoProto input in graph.Input.Where(i => initializers.Contains(i.Name)).ToList())
            {
                graph.Input.Remove(input);
            }
        }
        model.IrVersion = Math.Max(model.IrVersion, 7);
        return from;
    }

    private static string Describe(NodeProto node) =>
        node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"the {node.OpType} node giving '{node.Output.FirstOrDefault()}'";

    private static bool IsDefaultDomain(OperatorSetIdProto opset) => IsDefaultDomain(opset.Domain);

    private static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    private static void CheckTarget(long target)
    {
        if (target is < 1 or > MaxTarget)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"opsets up to {MaxTarget} are known to this upgrade");
        }
    }

    private static string? Obstacle(GraphProto graph, NodeProto node, long from, long target)
    {
        if (!s_unchangedFrom.TryGetValue(node.OpType, out long unchangedFrom))
        {
            return "not an operator this upgrade knows to carry over";
        }
        if (from >= unchangedFrom || target < unchangedFrom)
        {
            return null;
        }
        if (!s_rewritableFrom.TryGetValue(node.OpType, out long rewritableFrom) || from < rewritableFrom)
        {
            return $"its meaning at opset {from} differs from opset {unchangedFrom} on";
        }
        return node.OpType switch
        {
            "BatchNormalization" when Attribute(node, "spatial") is { I: not 1 } => "spatial=0 has no equivalent from opset 9 on",
            "Dropout" when node.Output.Count > 1 && graph.Node.Any(n => n.Input.Contains(node.Output[1])) => "its mask output is used, and the mask's type changed at opset 10",
            "Clip" or "Pad" when node.Input.Count == 0 => "it has no input",
            _ => null,
        };
    }

    private static void Rewrite(GraphProto graph, NodeProto node, long from)
    {
        switch (node.OpType)
        {
            case "BatchNormalization":
                RemoveAttributes(node, "spatial", "is_test", "consumed_inputs");
                break;
            case "Dropout":
                RemoveAttributes(node, "ratio", "is_test", "consumed_inputs");
                break;
            case "Clip":
                float min = Attribute(node, "min")?.F ?? float.MinValue, max = Attribute(node, "max")?.F ?? float.MaxValue;
                RemoveAttributes(node, "min", "max", "consumed_inputs");
                node.Input.Add(FloatScalar(graph, $"{node.Name}_min", min));
                node.Input.Add(FloatScalar(graph, $"{node.Name}_max", max));
                break;
            case "Pad":
                string mode = Attribute(node, "mode")?.S.ToStringUtf8() ?? "constant";
                long[] pads = [.. Attribute(node, "pads")?.Ints ?? Attribute(node, "paddings")?.Ints ?? []];
                float value = Attribute(node, "value")?.F ?? 0f;
                RemoveAttributes(node, "pads", "paddings", "value");
                node.Input.Add(Int64s(graph, $"{node.Name}_pads", pads));
                if (mode == "constant")
                {
                    node.Input.Add(FloatScalar(graph, $"{node.Name}_value", value));
                }
                break;
            case "Split":
                AttributeToInput(graph, node, "split");
                break;
            case "Squeeze" or "Unsqueeze" or "ReduceSum":
                AttributeToInput(graph, node, "axes");
                break;
            case "Softmax" or "LogSoftmax" or "Hardmax":
                SpellOutCoercion(graph, node);
                break;
            default:
                throw new InvalidOperationException($"no rewrite for {node.OpType} from opset {from}");
        }
    }

    /// <summary>
    /// Before opset 13 these operators flattened their input to 2-D at <c>axis</c> (default 1) and
    /// normalised each row; from 13 on they normalise along one axis (default -1). The old meaning is
    /// Flatten(axis) -> op(axis=-1) -> Reshape to the input's shape, exact for every rank.
    /// </summary>
    private static void SpellOutCoercion(GraphProto graph, NodeProto node)
    {
        long axis = Attribute(node, "axis")?.I ?? 1;
        RemoveAttributes(node, "axis");
        string input = node.Input[0], output = node.Output[0];
        string flat = OnnxNames.Unique(graph, $"{output}_2d"), shape = OnnxNames.Unique(graph, $"{input}_shape"), rows = OnnxNames.Unique(graph, $"{output}_rows");
        var flatten = new NodeProto { Name = OnnxNames.Unique(graph, $"{node.Name}_flatten"), OpType = "Flatten" }.Int("axis", axis);
        flatten.Input.Add(input);
        flatten.Output.Add(flat);
        var inputShape = new NodeProto { Name = OnnxNames.Unique(graph, $"{node.Name}_shape"), OpType = "Shape" };
        inputShape.Input.Add(input);
        inputShape.Output.Add(shape);
        var reshape = new NodeProto { Name = OnnxNames.Unique(graph, $"{node.Name}_reshape"), OpType = "Reshape" };
        reshape.Input.Add(rows);
        reshape.Input.Add(shape);
        reshape.Output.Add(output);
        node.Input[0] = flat;
        node.Output[0] = rows;
        node.Int("axis", -1);
        int at = graph.Node.IndexOf(node);
        graph.Node.Insert(at + 1, reshape);
        graph.Node.Insert(at, inputShape);
        graph.Node.Insert(at, flatten);
    }

    private static void AttributeToInput(GraphProto graph, NodeProto node, string name)
    {
        AttributeProto? attribute = Attribute(node, name);
        if (attribute is null)
        {
            return;
        }
        RemoveAttributes(node, name);
        node.Input.Add(Int64s(graph, $"{node.Name}_{name}", [.. attribute.Ints]));
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static void RemoveAttributes(NodeProto node, params string[] names)
    {
        foreach (AttributeProto attribute in node.Attribute.Where(a => names.Contains(a.Name)).ToList())
        {
            node.Attribute.Remove(attribute);
        }
    }

    private static string FloatScalar(GraphProto graph, string name, float value)
    {
        var tensor = new TensorProto { Name = OnnxNames.Unique(graph, name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static string Int64s(GraphProto graph, string name, long[] values)
    {
        var tensor = new TensorProto { Name = OnnxNames.Unique(graph, name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }
}

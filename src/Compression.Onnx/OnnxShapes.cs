using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>
/// Shapes of a graph's tensors for one sample (batch dimension 1), propagated from the graph's input
/// through the operators <see cref="OnnxFlops"/> understands (Conv, Gemm, MatMul, pools, Flatten,
/// Reshape to a constant shape, Transpose, Concat, elementwise ones), with the multiply-adds of each.
/// A tensor after an operator it does not know has no shape, rather than a guess.
/// </summary>
public static class OnnxShapes
{
    private static readonly HashSet<string> s_sameShape = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "Sigmoid", "HardSwish", "HardSigmoid", "Erf", "Identity", "Dropout", "Cast", "QuantizeLinear", "DequantizeLinear",
        "Softmax", "LogSoftmax", "BatchNormalization", "LeakyRelu", "Tanh", "Neg", "Exp", "Sqrt", "Abs", "Gelu", "Elu", "Selu", "Softplus",
    };

    private static readonly HashSet<string> s_broadcast = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min" };

    /// <summary>
    /// The shape of every tensor whose shape follows from the graph input through understood operators,
    /// initializers included; a dynamic dimension is taken as 1 (the batch too).
    /// </summary>
    public static IReadOnlyDictionary<string, long[]> Infer(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Walk(model).Shapes;
    }

    /// <summary>Shapes and multiply-adds, and whether every node was understood.</summary>
    internal static ShapeWalk Walk(ModelProto model)
    {
        GraphProto graph = model.Graph ?? new GraphProto();
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var constants = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (TensorProto initializer in graph.Initializer)
        {
            shapes[initializer.Name] = [.. initializer.Dims];
            constants[initializer.Name] = initializer;
        }
        bool complete = true;
        foreach (ValueInfoProto input in graph.Input.Where(i => !shapes.ContainsKey(i.Name)))
        {
            if (input.Type?.TensorType?.Shape is not TensorShapeProto shape)
            {
                complete = false;
                continue;
            }
            shapes[input.Name] = shape.Dim.Select((d, i) => i == 0 ? 1 : d.HasDimValue ? d.DimValue : 1).ToArray();
        }
        long total = 0;
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is TensorProto value && node.Output.Count == 1)
            {
                shapes[node.Output[0]] = [.. value.Dims];
                constants[node.Output[0]] = value;
                continue;
            }
            long[][]? inputs = node.Input.Select(n => n.Length == 0 ? [] : shapes.GetValueOrDefault(n)).ToArray()!;
            (long[][]? outputs, long macs) = node.Input.Count > 0 && inputs[0] is null ? (null, 0) : Infer(node, inputs, constants);
            if (outputs is null)
            {
                complete = false;
                continue;
            }
            total += macs;
            for (int i = 0; i < Math.Min(outputs.Length, node.Output.Count); i++)
            {
                shapes[node.Output[i]] = outputs[i];
            }
        }
        return new ShapeWalk(shapes, total, complete);
    }

    private static (long[][]? Outputs, long Macs) Infer(NodeProto node, long[][] inputs, Dictionary<string, TensorProto> constants)
    {
        long[] x = inputs.Length > 0 ? inputs[0] : [];
        switch (node.OpType)
        {
            case "Conv" or "ConvInteger" when inputs.Length > 1 && inputs[1] is { Length: 4 } w && x.Length == 4:
            {
                long group = Attribute(node, "group") ?? 1;
                long[] pads = Attributes(node, "pads") ?? [0, 0, 0, 0];
                long[] strides = Attributes(node, "strides") ?? [1, 1];
                long[] dilations = Attributes(node, "dilations") ?? [1, 1];
                long h = ((x[2] + pads[0] + pads[2] - (dilations[0] * (w[2] - 1)) - 1) / strides[0]) + 1;
                long wd = ((x[3] + pads[1] + pads[3] - (dilations[1] * (w[3] - 1)) - 1) / strides[1]) + 1;
                long macs = w[0] * h * wd * (x[1] / group) * w[2] * w[3];
                return ([[x[0], w[0], h, wd]], macs);
            }
            case "Gemm" when inputs.Length > 1 && x.Length == 2 && inputs[1] is { Length: 2 } b:
            {
                bool transA = Attribute(node, "transA") == 1, transB = Attribute(node, "transB") == 1;
                long m = transA ? x[1] : x[0], k = transA ? x[0] : x[1], n = transB ? b[0] : b[1];
                return ([[m, n]], m * k * n);
            }
            case "MatMul" or "MatMulInteger" when inputs.Length > 1 && x.Length >= 2 && inputs[1] is { Length: 2 } b:
            {
                long rows = x[..^1].Aggregate(1L, (p, d) => p * d);
                return ([[.. x[..^1], b[1]]], rows * x[^1] * b[1]);
            }
            case "MaxPool" or "AveragePool" when x.Length == 4:
            {
                long[] kernel = Attributes(node, "kernel_shape") ?? [1, 1];
                long[] pads = Attributes(node, "pads") ?? [0, 0, 0, 0];
                long[] strides = Attributes(node, "strides") ?? [1, 1];
                return ([[x[0], x[1], ((x[2] + pads[0] + pads[2] - kernel[0]) / strides[0]) + 1, ((x[3] + pads[1] + pads[3] - kernel[1]) / strides[1]) + 1]], 0);
            }
            case "GlobalAveragePool" or "GlobalMaxPool" when x.Length == 4:
                return ([[x[0], x[1], 1, 1]], 0);
            case "Flatten":
            {
                int axis = (int)(Attribute(node, "axis") ?? 1);
                axis = axis < 0 ? axis + x.Length : axis;
                return ([[x[..axis].Aggregate(1L, (p, d) => p * d), x[axis..].Aggregate(1L, (p, d) => p * d)]], 0);
            }
            case "Reshape" when node.Input.Count > 1 && constants.TryGetValue(node.Input[1], out TensorProto? target):
                return ([Reshape(x, [.. target.Int64Data])], 0);
            case "Transpose":
            {
                long[] perm = Attributes(node, "perm") ?? Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i).ToArray();
                return ([perm.Select(p => x[p]).ToArray()], 0);
            }
            case "Concat" when inputs.All(i => i is not null && i.Length == x.Length) && Attribute(node, "axis") is long axis && axis >= -x.Length && axis < x.Length:
            {
                int at = (int)(axis < 0 ? axis + x.Length : axis);
                long[] joined = [.. x];
                joined[at] = inputs.Sum(i => i[at]);
                return ([joined], 0);
            }
            case "DynamicQuantizeLinear":
                return ([x, [], []], 0);
            case var op when s_sameShape.Contains(op):
                return ([x], 0);
            case var op when s_broadcast.Contains(op) && inputs.All(i => i is not null):
                return ([Broadcast(inputs)], 0);
            default:
                return (null, 0);
        }
    }

    private static long[] Reshape(long[] input, long[] target)
    {
        long size = input.Aggregate(1L, (p, d) => p * d);
        long[] shape = target.Select((d, i) => d == 0 ? input[i] : d).ToArray();
        long known = shape.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
        return shape.Select(d => d == -1 ? size / Math.Max(known, 1) : d).ToArray();
    }

    private static long[] Broadcast(long[][] shapes)
    {
        int rank = shapes.Max(s => s.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            result[i] = shapes.Select(s => i - (rank - s.Length) is int j && j >= 0 ? s[j] : 1).Max();
        }
        return result;
    }

    private static long? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;

    private static long[]? Attributes(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name) is AttributeProto a && a.Ints.Count > 0 ? [.. a.Ints] : null;
}

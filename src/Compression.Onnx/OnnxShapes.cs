using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>
/// Shapes of a graph's tensors for one sample (batch dimension 1), propagated from the graph's input
/// through the operators <see cref="OnnxFlops"/> understands (Conv, Gemm, MatMul batched or not, pools,
/// Flatten, Reshape to a constant shape, Transpose, Concat, Gather, Shape, Slice and Unsqueeze with
/// constant arguments, reductions, LayerNormalization, Softmax, elementwise ones), with the multiply-adds of each.
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
    /// initializers included. The batch is taken as 1; another symbolic input dimension needs its value
    /// in the model's metadata (<see cref="DimensionKeyPrefix"/>), else the input has no shape.
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
            long[]? dims = InputDims(shape, model);
            if (dims is null)
            {
                complete = false;
                continue;
            }
            shapes[input.Name] = dims;
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

    /// <summary>
    /// One sample's input dimensions: the batch 1, a symbolic dimension the value its metadata key
    /// <see cref="DimensionKeyPrefix"/> + name declares (a token sequence's length), else null: unknown, not guessed.
    /// </summary>
    private static long[]? InputDims(TensorShapeProto shape, ModelProto model)
    {
        var dims = new long[shape.Dim.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            TensorShapeProto.Types.Dimension d = shape.Dim[i];
            if (i == 0)
            {
                dims[i] = 1;
            }
            else if (d.HasDimValue)
            {
                dims[i] = d.DimValue;
            }
            else if (model.MetadataProps.LastOrDefault(p => p.Key == DimensionKeyPrefix + d.DimParam) is StringStringEntryProto declared
                && long.TryParse(declared.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) && value > 0)
            {
                dims[i] = value;
            }
            else
            {
                return null;
            }
        }
        return dims;
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
            case "MatMul" or "MatMulInteger" when inputs.Length > 1 && x.Length >= 2 && inputs[1] is { Length: >= 2 } b:
            {
                // Batched: [..., M, K] x [..., K, N], the leading dimensions broadcast (a weight is [K, N]).
                long[] leading = Broadcast([x[..^2], b[..^2]]);
                long[] result = [.. leading, x[^2], b[^1]];
                return ([result], leading.Aggregate(1L, (p, d) => p * d) * x[^2] * x[^1] * b[^1]);
            }
            case "Gather" when inputs.Length > 1 && inputs[1] is long[] indices:
            {
                int axis = (int)(Attribute(node, "axis") ?? 0);
                axis = axis < 0 ? axis + x.Length : axis;
                return ([[.. x[..axis], .. indices, .. x[(axis + 1)..]]], 0);
            }
            case "Shape" when node.Output.Count == 1:
            {
                long start = Attribute(node, "start") ?? 0, end = Attribute(node, "end") ?? x.Length;
                start = Math.Clamp(start < 0 ? start + x.Length : start, 0, x.Length);
                end = Math.Clamp(end < 0 ? end + x.Length : end, start, x.Length);
                var value = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
                value.Dims.Add(end - start);
                value.Int64Data.AddRange(x[(int)start..(int)end]);
                constants[node.Output[0]] = value;
                return ([[end - start]], 0);
            }
            case "Slice" when Int64Input(node, 1, constants) is long[] starts && Int64Input(node, 2, constants) is long[] ends:
                return Slice(x, starts, ends, Int64Input(node, 3, constants), Int64Input(node, 4, constants)) is long[] sliced ? ([sliced], 0) : (null, 0);
            case "Unsqueeze" when Int64Input(node, 1, constants) is long[] axes:
            {
                var result = new List<long>(x);
                foreach (long a in axes.Select(a => a < 0 ? a + x.Length + axes.Length : a).Order())
                {
                    result.Insert((int)a, 1);
                }
                return ([[.. result]], 0);
            }
            case "ReduceSum" or "ReduceMean" or "ReduceL2" or "ReduceMax":
            {
                // Opset 13+ ReduceSum reads its axes from an input, the others (until opset 18) from an attribute.
                long[]? axes = node.Input.Count > 1 && node.Input[1].Length > 0 ? Int64Input(node, 1, constants) : Attributes(node, "axes");
                if (axes is null && node.Input.Count > 1 && node.Input[1].Length > 0)
                {
                    return (null, 0);
                }
                bool keep = (Attribute(node, "keepdims") ?? 1) == 1;
                var reduced = (axes ?? Enumerable.Range(0, x.Length).Select(i => (long)i)).Select(a => a < 0 ? a + x.Length : a).ToHashSet();
                return ([x.Select((d, i) => (d, i)).Where(p => keep || !reduced.Contains(p.i)).Select(p => reduced.Contains(p.i) ? 1 : p.d).ToArray()], 0);
            }
            case "LayerNormalization":
                return ([x], 0);
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
            case "Reshape" when Int64Input(node, 1, constants) is long[] target:
                return ([Reshape(x, target)], 0);
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

    /// <summary>The key prefix of a model's metadata entry giving a symbolic input dimension's value for counting, e.g. <c>compression.dim.sequence</c>.</summary>
    public const string DimensionKeyPrefix = "compression.dim.";

    /// <summary>Input <paramref name="index"/> of <paramref name="node"/> as int64 values when it is a known constant, else null.</summary>
    private static long[]? Int64Input(NodeProto node, int index, Dictionary<string, TensorProto> constants)
    {
        if (node.Input.Count <= index || node.Input[index].Length == 0 || !constants.TryGetValue(node.Input[index], out TensorProto? tensor)
            || tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            return null;
        }
        if (tensor.Int64Data.Count > 0)
        {
            return [.. tensor.Int64Data];
        }
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        var values = new long[raw.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(raw[(i * sizeof(long))..]);
        }
        return values;
    }

    /// <summary>The shape after ONNX Slice (starts and ends clamped as the operator does), or null for a step it does not handle.</summary>
    private static long[]? Slice(long[] input, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        long[] result = [.. input];
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = axes is null ? i : axes[i] < 0 ? axes[i] + input.Length : axes[i];
            long step = steps is null ? 1 : steps[i];
            if (step != 1 || axis < 0 || axis >= input.Length)
            {
                return null;
            }
            long size = input[axis];
            long start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
            long end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], 0, size);
            result[axis] = Math.Max(0, end - start);
        }
        return result;
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

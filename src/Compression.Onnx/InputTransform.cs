using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Puts the data's normalisation in front of a model's graph: the graph input keeps its name and
/// now takes raw features, which go through Mul(scale), or Sub(mean) then Div(std) per feature,
/// before reaching what read the input before. Used to ship a model that takes input as an app has
/// it, while the pipeline's own copies keep taking normalised features. The nodes repeat the data
/// loader's float arithmetic step for step, so they give exactly the values the pipeline trained on;
/// any graph whose input is float works (fp32, QDQ, calibrated).
/// </summary>
public static class InputTransform
{
    /// <summary>Prepends <c>x * scale</c> (one scalar for every feature) to <paramref name="model"/>'s only input.</summary>
    /// <exception cref="ArgumentException">The model's input is not a float tensor.</exception>
    public static void PrependScale(ModelProto model, float scale)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphProto graph = model.Graph;
        ValueInfoProto input = FloatInput(graph);
        string scaleName = AddConstant(graph, $"{input.Name}_scale", [], [scale]);
        Prepend(graph, input.Name, [("Mul", scaleName)]);
    }

    /// <summary>
    /// Prepends <c>(x - mean) / std</c> per feature to <paramref name="model"/>'s only input; the
    /// constants are shaped [1, ...sample shape] so they broadcast over any batch.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not a float tensor of fixed sample shape, or the vectors do not have one value per feature of a sample.</exception>
    public static void PrependStandardization(ModelProto model, float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        GraphProto graph = model.Graph;
        ValueInfoProto input = FloatInput(graph);
        long[] sample = input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray();
        long features = sample.Aggregate(1L, (a, b) => a * b);
        if (sample.Any(d => d <= 0) || features != mean.Length || features != std.Length)
        {
            throw new ArgumentException($"the model's input {input.Name} has samples of [{string.Join(", ", sample)}]; the mean and deviation have {mean.Length} and {std.Length} values");
        }
        long[] dims = [1, .. sample];
        string meanName = AddConstant(graph, $"{input.Name}_mean", dims, mean);
        string stdName = AddConstant(graph, $"{input.Name}_std", dims, std);
        Prepend(graph, input.Name, [("Sub", meanName), ("Div", stdName)]);
    }

    /// <summary>The graph's only real input (not an initializer), which must be a float tensor.</summary>
    private static ValueInfoProto FloatInput(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        ValueInfoProto input = graph.Input.Single(i => !initializers.Contains(i.Name));
        if (input.Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new ArgumentException($"the model's input {input.Name} is not a float tensor (element type {input.Type?.TensorType?.ElemType})");
        }
        return input;
    }

    /// <summary>
    /// Reroutes every reader of <paramref name="raw"/> to a new tensor, and computes that tensor from
    /// <paramref name="raw"/> by the <paramref name="steps"/> (each an op with a constant second input) at the top of the graph.
    /// </summary>
    private static void Prepend(GraphProto graph, string raw, (string Op, string Constant)[] steps)
    {
        string normalized = OnnxNames.Unique(graph, $"{raw}_normalized");
        foreach (NodeProto node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == raw)
                {
                    node.Input[i] = normalized;
                }
            }
        }
        string current = raw;
        for (int i = 0; i < steps.Length; i++)
        {
            (string op, string constant) = steps[i];
            string output = i == steps.Length - 1 ? normalized : OnnxNames.Unique(graph, $"{raw}_{op.ToLowerInvariant()}");
            var node = new NodeProto { OpType = op, Name = output };
            node.Input.AddRange([current, constant]);
            node.Output.Add(output);
            graph.Node.Insert(i, node);
            current = output;
        }
    }

    private static string AddConstant(GraphProto graph, string name, long[] dims, float[] values)
    {
        string unique = OnnxNames.Unique(graph, name);
        var tensor = new TensorProto
        {
            Name = unique,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return unique;
    }
}


using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Puts a per-feature affine map in front of a model's graph: the graph input keeps its name and
/// now takes raw features, which go through Sub(offset) and Mul(factor) before reaching what read
/// the input before. Used to ship a model that takes input as an app has it, while the pipeline's
/// own copies keep taking normalised features.
/// </summary>
public static class InputTransform
{
    /// <summary>Prepends <c>(x - offset) * factor</c> (one value per feature of a sample) to <paramref name="model"/>'s only input.</summary>
    /// <exception cref="ArgumentException">The vectors do not have one value per feature of the input.</exception>
    public static void Prepend(ModelProto model, float[] offset, float[] factor)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(factor);
        GraphProto graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        ValueInfoProto input = graph.Input.Single(i => !initializers.Contains(i.Name));
        long[] sample = input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray();
        long features = sample.Aggregate(1L, (a, b) => a * b);
        if (sample.Any(d => d <= 0) || features != offset.Length || features != factor.Length)
        {
            throw new ArgumentException($"the model's input {input.Name} has samples of [{string.Join(", ", sample)}]; the offset and factor have {offset.Length} and {factor.Length} values");
        }

        string raw = input.Name;
        string normalized = Unique(graph, $"{raw}_normalized");
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
        long[] dims = [1, .. sample];
        var prefix = new List<NodeProto>();
        string current = raw;
        if (offset.Any(o => o != 0))
        {
            string offsetName = AddConstant(graph, $"{raw}_offset", dims, offset);
            string centred = Unique(graph, $"{raw}_centred");
            prefix.Add(Node("Sub", [current, offsetName], centred));
            current = centred;
        }
        string factorName = AddConstant(graph, $"{raw}_factor", dims, factor);
        prefix.Add(Node("Mul", [current, factorName], normalized));
        for (int i = prefix.Count - 1; i >= 0; i--)
        {
            graph.Node.Insert(0, prefix[i]);
        }
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static string AddConstant(GraphProto graph, string name, long[] dims, float[] values)
    {
        string unique = Unique(graph, name);
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

    private static string Unique(GraphProto graph, string name)
    {
        var taken = graph.Node.SelectMany(n => n.Output.Concat(n.Input)).Concat(graph.Initializer.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);
        string candidate = name;
        for (int i = 1; taken.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }
}

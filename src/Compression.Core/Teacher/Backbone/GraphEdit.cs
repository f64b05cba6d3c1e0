using System.Runtime.InteropServices;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Core.Teacher.Backbone;

/// <summary>
/// Edits of a whole ONNX model that building a teacher from a backbone needs: unique names, constants
/// (also listed as graph inputs in IR 3 files, which ONNX Runtime requires there), chaining two graphs,
/// and a linear head after the last output. Written here because no package that restores offline edits
/// ONNX graphs from .NET; Compression.Onnx's builder makes new graphs only.
/// </summary>
internal static class GraphEdit
{
    /// <summary>The graph's only input that is not an initializer.</summary>
    /// <exception cref="ArgumentException">It has none or several.</exception>
    public static ValueInfoProto OnlyInput(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        return inputs.Count == 1
            ? inputs[0]
            : throw new ArgumentException($"the graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); one image input is expected");
    }

    /// <summary>A tensor name not yet used in the graph, starting from <paramref name="name"/>.</summary>
    public static string Unique(GraphProto graph, string name) => OnnxNames.Unique(graph, name);

    /// <summary>Adds a float constant and returns its (unique) name.</summary>
    public static string AddConstant(ModelProto model, string name, long[] dims, float[] values)
    {
        string unique = Unique(model.Graph, name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        model.Graph.Initializer.Add(tensor);
        if (model.IrVersion < 4)
        {
            model.Graph.Input.Add(ValueInfo(unique, dims.Select(d => (long?)d).ToArray()));
        }
        return unique;
    }

    /// <summary>Adds a node computing <paramref name="output"/> (a new unique name from it) and returns that name.</summary>
    public static string AddNode(GraphProto graph, string op, string[] inputs, string output, Action<NodeProto>? attributes = null)
    {
        string name = Unique(graph, output);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        attributes?.Invoke(node);
        graph.Node.Add(node);
        return name;
    }

    /// <summary>A float tensor's value info; a null dimension is the symbolic "batch".</summary>
    public static ValueInfoProto ValueInfo(string name, IReadOnlyList<long?> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "batch" }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    /// <summary>The batch dimension of a value: its fixed size, or null when symbolic.</summary>
    public static long? BatchOf(ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.FirstOrDefault() is { DimValue: > 0 } d ? d.DimValue : null;

    /// <summary>
    /// One model that runs <paramref name="first"/> and feeds its only output to <paramref name="second"/>'s
    /// only input. Both must use the same opset of the default domain (an operator's meaning depends on it).
    /// </summary>
    /// <exception cref="ArgumentException">The opsets differ, or a graph has not one input and one output.</exception>
    public static ModelProto Chain(ModelProto first, ModelProto second)
    {
        long Opset(ModelProto m) => m.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (Opset(first) != Opset(second))
        {
            throw new ArgumentException($"the preprocessing graph uses opset {Opset(first)} and the model opset {Opset(second)}; both must use the same");
        }
        if (first.Graph.Output.Count != 1)
        {
            throw new ArgumentException($"the preprocessing graph has {first.Graph.Output.Count} outputs; one is expected");
        }
        ModelProto result = first.Clone();
        result.IrVersion = Math.Max(first.IrVersion, second.IrVersion);
        GraphProto graph = result.Graph;
        string joint = graph.Output[0].Name;
        GraphProto next = second.Graph.Clone();
        string nextInput = OnlyInput(next).Name;
        // A prefix no name of the first graph starts with keeps every renamed name distinct from them.
        var taken = graph.Node.SelectMany(n => n.Output.Concat(n.Input)).Concat(graph.Initializer.Select(t => t.Name)).Concat(graph.Input.Select(i => i.Name)).ToList();
        string prefix = "m_";
        for (int i = 1; taken.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)); i++)
        {
            prefix = $"m{i}_";
        }
        Rename(next, prefix, name => name == nextInput ? joint : prefix + name);
        graph.Node.AddRange(next.Node);
        graph.Initializer.AddRange(next.Initializer);
        graph.Input.AddRange(next.Input.Where(i => i.Name != joint));
        graph.ValueInfo.AddRange(next.ValueInfo);
        graph.Output.Clear();
        graph.Output.AddRange(next.Output);
        return result;
    }

    /// <summary>Renames every tensor of <paramref name="graph"/> through <paramref name="rename"/> (called once per name).</summary>
    private static void Rename(GraphProto graph, string prefix, Func<string, string> rename)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Map(string name) => name.Length == 0 ? name : names.TryGetValue(name, out string? mapped) ? mapped : names[name] = rename(name);
        foreach (NodeProto node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = Map(node.Input[i]);
            }
            for (int i = 0; i < node.Output.Count; i++)
            {
                node.Output[i] = Map(node.Output[i]);
            }
            node.Name = node.Name.Length == 0 ? node.Name : prefix + node.Name;
        }
        foreach (TensorProto tensor in graph.Initializer)
        {
            tensor.Name = Map(tensor.Name);
        }
        foreach (ValueInfoProto value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
        {
            value.Name = Map(value.Name);
        }
    }

    /// <summary>
    /// Appends Flatten and a Gemm <c>x W^T + b</c> to the model's only output, which becomes the logits
    /// <c>[batch, classes]</c>.
    /// </summary>
    public static void AppendLinearHead(ModelProto model, float[] weight, float[] bias)
    {
        GraphProto graph = model.Graph;
        if (graph.Output.Count != 1)
        {
            throw new ArgumentException($"the backbone has {graph.Output.Count} outputs; one feature output is expected");
        }
        ValueInfoProto features = graph.Output[0];
        int classes = bias.Length;
        int width = weight.Length / classes;
        string w = AddConstant(model, "head_weight", [classes, width], weight);
        string b = AddConstant(model, "head_bias", [classes], bias);
        string flat = AddNode(graph, "Flatten", [features.Name], "head_flatten", n => n.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        string logits = AddNode(graph, "Gemm", [flat, w, b], "logits", n => n.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Output.Clear();
        graph.Output.Add(ValueInfo(logits, [BatchOf(features), classes]));
    }
}

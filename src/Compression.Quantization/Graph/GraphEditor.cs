using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Quantization.Graph;

/// <summary>
/// The edits the quantizers and the batch-norm folding make to a graph: new initializers and nodes, weights
/// replaced, and at <see cref="Finish"/> the node list sorted topologically again and replaced float weights
/// dropped (with their graph-input listing) once nothing reads them (a weight shared with a node left in float stays).
/// </summary>
internal sealed class GraphEditor(GraphProto graph)
{
    private readonly List<NodeProto> _added = [];
    private readonly HashSet<string> _replaced = new(StringComparer.Ordinal);

    // Node names must be unique too; an imported model may name a node like a tensor we name ours after.
    private readonly HashSet<string> _nodeNames = graph.Node.Select(n => n.Name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);

    public GraphProto Graph => graph;

    public TensorProto Initializer(string name) => graph.Initializer.First(t => t.Name == name);

    /// <summary>Adds an initializer unless one of that name exists (scales and zero points are shared by name).</summary>
    public string AddInitializer(TensorProto tensor)
    {
        if (graph.Initializer.All(t => t.Name != tensor.Name))
        {
            graph.Initializer.Add(tensor);
        }
        return tensor.Name;
    }

    /// <summary>Marks a float weight as replaced: it is removed at <see cref="Finish"/> if no node reads it any more.</summary>
    public void Replaced(string initializer) => _replaced.Add(initializer);

    public NodeProto AddNode(string opType, string[] inputs, string[] outputs, string domain = "")
    {
        // Named after the output (unique among tensors), suffixed where a node of the model took that name.
        string name = outputs[0];
        for (int i = 1; !_nodeNames.Add(name); i++)
        {
            name = $"{outputs[0]}_{i}";
        }
        var node = new NodeProto { OpType = opType, Name = name, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        _added.Add(node);
        return node;
    }

    /// <summary>Puts the added nodes into the graph in an order where every input is produced before it is read.</summary>
    public void Finish()
    {
        var available = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var remaining = graph.Node.Concat(_added).ToList();
        var ordered = new List<NodeProto>(remaining.Count);
        while (remaining.Count > 0)
        {
            int next = remaining.FindIndex(n => n.Input.All(i => i.Length == 0 || available.Contains(i)));
            if (next < 0)
            {
                throw new InvalidOperationException($"the rewritten graph has a cycle or a missing input at node '{remaining[0].Name}'");
            }
            NodeProto node = remaining[next];
            remaining.RemoveAt(next);
            ordered.Add(node);
            available.UnionWith(node.Output);
        }
        graph.Node.Clear();
        graph.Node.AddRange(ordered);

        var read = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (TensorProto unused in graph.Initializer.Where(t => _replaced.Contains(t.Name) && !read.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
            // An exporter may list initializers as graph inputs too; without its initializer such an input
            // would become one the caller must feed.
            if (graph.Input.FirstOrDefault(i => i.Name == unused.Name) is { } listed)
            {
                graph.Input.Remove(listed);
            }
        }
        _added.Clear();
    }

    public static float[] Floats(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    public static TensorProto FloatTensor(string name, IEnumerable<long> dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    public static TensorProto Int8Tensor(string name, IEnumerable<long> dims, sbyte[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    public static TensorProto Int32Tensor(string name, IEnumerable<long> dims, int[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int32, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A scalar zero point of the activation type: uint8 or int8.</summary>
    public static TensorProto ZeroPoint(string name, int zeroPoint, bool unsigned) => new()
    {
        Name = name,
        DataType = (int)(unsigned ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Int8),
        RawData = ByteString.CopyFrom(unsigned ? [(byte)zeroPoint] : [unchecked((byte)(sbyte)zeroPoint)]),
    };
}

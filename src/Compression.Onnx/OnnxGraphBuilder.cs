using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Builds a single-graph, float ONNX model node by node: what our exporter needs and no more. It
/// keeps tensor names unique (<see cref="UniqueName"/>) and checks the wiring at <see cref="Build"/>,
/// so an exporter bug is reported here, naming the node, instead of as an ONNX Runtime load error.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The IR version written: 8 is read by every ONNX Runtime since 1.10 and by onnx 1.12's checker.</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph named <paramref name="graphName"/>.</summary>
    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>
    /// Reserves and returns a tensor name not used yet in this graph: <paramref name="prefix"/> itself
    /// if free, else <c>prefix_1</c>, <c>prefix_2</c>, ...
    /// </summary>
    public string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return Reserve(_tensorNames, prefix);
    }

    /// <summary>
    /// Adds a float initializer (a weight) stored as little-endian raw bytes; returns its name, which
    /// differs from <paramref name="name"/> only if that was taken.
    /// </summary>
    public string AddInitializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        long expected = CheckedElementCount(name, dims);
        if (expected != values.Length)
        {
            throw new ArgumentException($"initializer {name}: dims [{string.Join(", ", dims)}] need {expected} values, got {values.Length}", nameof(values));
        }
        string unique = UniqueName(name);
        var tensor = new TensorProto
        {
            Name = unique,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = LittleEndianBytes(values),
        };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>Adds an int64 initializer (e.g. the shape input of Reshape); returns its name.</summary>
    public string AddInt64Initializer(string name, long[] dims, long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long expected = CheckedElementCount(name, dims);
        if (expected != values.Length)
        {
            throw new ArgumentException($"initializer {name}: dims [{string.Join(", ", dims)}] need {expected} values, got {values.Length}", nameof(values));
        }
        string unique = UniqueName(name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>
    /// Adds a node of the default (ai.onnx) domain and returns it, so attributes can follow
    /// (<see cref="NodeAttributes"/>). Output names are reserved; the node name defaults to the op type
    /// and is made unique among nodes. An empty input name means an omitted optional input.
    /// </summary>
    public NodeProto AddNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var node = new NodeProto { OpType = opType, Name = Reserve(_nodeNames, string.IsNullOrEmpty(name) ? opType : name) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (node.Output.Count == 0)
        {
            throw new ArgumentException($"node {node.Name} ({opType}) has no outputs", nameof(outputs));
        }
        foreach (string output in node.Output)
        {
            _tensorNames.Add(output);
        }
        _graph.Node.Add(node);
        return node;
    }

    /// <summary>
    /// Declares a float graph input. A null dimension is symbolic, named <paramref name="symbolicName"/>
    /// (normally the batch), so the model accepts any batch size.
    /// </summary>
    public void AddInput(string name, IReadOnlyList<long?> dims, string symbolicName = "batch")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _tensorNames.Add(name);
        _graph.Input.Add(FloatValueInfo(name, dims, symbolicName));
    }

    /// <summary>
    /// Declares a float graph input whose null dimensions are symbolic with their own names: the i-th
    /// null dimension is named <paramref name="symbolicNames"/>[i] (e.g. <c>batch</c>, then <c>sequence</c>).
    /// </summary>
    public void AddSymbolicInput(string name, IReadOnlyList<long?> dims, IReadOnlyList<string> symbolicNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _tensorNames.Add(name);
        _graph.Input.Add(FloatValueInfo(name, dims, symbolicNames));
    }

    /// <summary>Declares a float graph output whose null dimensions are symbolic with their own names, as for inputs.</summary>
    public void AddSymbolicOutput(string name, IReadOnlyList<long?> dims, IReadOnlyList<string> symbolicNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _graph.Output.Add(FloatValueInfo(name, dims, symbolicNames));
    }

    /// <summary>Declares a float graph output; a null dimension is symbolic, as for inputs.</summary>
    public void AddOutput(string name, IReadOnlyList<long?> dims, string symbolicName = "batch")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _graph.Output.Add(FloatValueInfo(name, dims, symbolicName));
    }

    /// <summary>
    /// The finished model: IR version 8, one opset import for the default domain. The builder keeps
    /// its own copy, so it can go on and build again.
    /// </summary>
    /// <exception cref="InvalidOperationException">A node reads a tensor nothing defines before it, or an output is never produced.</exception>
    public ModelProto Build(string producerName, long opsetVersion = 17)
    {
        ArgumentException.ThrowIfNullOrEmpty(producerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        CheckWiring();
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion });
        return model;
    }

    private void CheckWiring()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(_graph.Input.Select(i => i.Name));
        defined.UnionWith(_graph.Initializer.Select(t => t.Name));
        foreach (NodeProto node in _graph.Node)
        {
            foreach (string input in node.Input)
            {
                if (input.Length > 0 && !defined.Contains(input))
                {
                    throw new InvalidOperationException(
                        $"node {node.Name} ({node.OpType}) reads '{input}', which is not a graph input, an initializer or the output of an earlier node");
                }
            }
            defined.UnionWith(node.Output);
        }
        foreach (ValueInfoProto output in _graph.Output)
        {
            if (!defined.Contains(output.Name))
            {
                throw new InvalidOperationException($"graph output '{output.Name}' is not produced by any node, input or initializer");
            }
        }
    }

    private static string Reserve(HashSet<string> names, string prefix)
    {
        string name = prefix;
        for (int i = 1; !names.Add(name); i++)
        {
            name = $"{prefix}_{i}";
        }
        return name;
    }

    private static long CheckedElementCount(string name, long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"initializer {name}: dims [{string.Join(", ", dims)}] must not be negative", nameof(dims));
            }
            count = checked(count * dim);
        }
        return count;
    }

    private static ByteString LittleEndianBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return ByteString.CopyFrom(bytes);
    }

    private static ValueInfoProto FloatValueInfo(string name, IReadOnlyList<long?> dims, string symbolicName)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return FloatValueInfo(name, dims, [.. dims.Where(d => d is null).Select(_ => symbolicName)]);
    }

    private static ValueInfoProto FloatValueInfo(string name, IReadOnlyList<long?> dims, IReadOnlyList<string> symbolicNames)
    {
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(symbolicNames);
        if (dims.Count(d => d is null) != symbolicNames.Count)
        {
            throw new ArgumentException($"tensor {name}: {dims.Count(d => d is null)} symbolic dimensions but {symbolicNames.Count} names", nameof(symbolicNames));
        }
        var shape = new TensorShapeProto();
        int symbolic = 0;
        foreach (long? dim in dims)
        {
            shape.Dim.Add(dim is long value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = symbolicNames[symbolic++] });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

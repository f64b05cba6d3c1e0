using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Builds a single-graph ONNX model node by node: what the exporter needs and no more. Tensor names
/// are made unique by <see cref="UniqueName"/>; float weights are stored as raw little-endian bytes.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName) => _graph = new GraphProto { Name = graphName };

    /// <summary>A name not used yet in this graph, based on <paramref name="prefix"/>.</summary>
    public string UniqueName(string prefix)
    {
        string name = prefix;
        for (int i = 1; !_names.Add(name); i++)
        {
            name = $"{prefix}_{i}";
        }
        return name;
    }

    /// <summary>Adds a float initializer (a weight) and returns its name.</summary>
    public string AddInitializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != values.Length)
        {
            throw new ArgumentException($"initializer {name}: dims [{string.Join(", ", dims)}] need {expected} values, got {values.Length}");
        }
        string unique = UniqueName(name);
        var tensor = new TensorProto
        {
            Name = unique,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>Adds an int64 initializer (e.g. a shape for Reshape) and returns its name.</summary>
    public string AddInt64Initializer(string name, long[] dims, long[] values)
    {
        string unique = UniqueName(name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>Adds a node; returns it so attributes can be added.</summary>
    public NodeProto AddNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string? name = null)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(name ?? opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        _graph.Node.Add(node);
        return node;
    }

    /// <summary>Declares a float graph input; a null dimension is symbolic (e.g. the batch).</summary>
    public void AddInput(string name, IReadOnlyList<long?> dims, string symbolicName = "batch")
    {
        _names.Add(name);
        _graph.Input.Add(FloatValueInfo(name, dims, symbolicName));
    }

    /// <summary>Declares a float graph output.</summary>
    public void AddOutput(string name, IReadOnlyList<long?> dims, string symbolicName = "batch") =>
        _graph.Output.Add(FloatValueInfo(name, dims, symbolicName));

    /// <summary>The finished model (IR version 8, default-domain opset).</summary>
    public ModelProto Build(string producerName, long opsetVersion = 17)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion });
        return model;
    }

    private static ValueInfoProto FloatValueInfo(string name, IReadOnlyList<long?> dims, string symbolicName)
    {
        var shape = new TensorShapeProto();
        foreach (long? dim in dims)
        {
            shape.Dim.Add(dim is long value ? new TensorShapeProto.Types.Dimension { DimValue = value } : new TensorShapeProto.Types.Dimension { DimParam = symbolicName });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

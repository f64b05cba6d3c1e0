using Compression.Models.Import;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Initialization;

/// <summary>
/// Looks up a BERT graph's weights: initializers by name, and the anonymous projection weights through the nodes
/// that use the named biases. Every tensor handed out is checked against the shape the caller expects.
/// </summary>
internal sealed class BertGraphIndex
{
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, NodeProto> _producers = [];
    private readonly Dictionary<string, List<NodeProto>> _consumers = [];
    private readonly string _path;

    public BertGraphIndex(GraphProto graph, string path)
    {
        _path = path;
        _initializers = graph.Initializer.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            foreach (string output in node.Output.Where(o => o.Length > 0))
            {
                _producers[output] = node;
            }
            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
    }

    public bool Has(string name) => _initializers.ContainsKey(name);

    /// <summary>What precedes <paramref name="suffix"/> in the one initializer name ending with it (empty for an exact match), or null.</summary>
    public string? PrefixOf(string suffix) =>
        _initializers.Keys.Where(n => n == suffix || n.EndsWith("." + suffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(n => n[..^suffix.Length]).FirstOrDefault();

    /// <summary>A 2-D initializer; a null dimension takes whatever the file has.</summary>
    public Tensor Matrix(string name, int? rows, int? columns)
    {
        TensorProto proto = Initializer(name);
        if (proto.Dims.Count != 2 || (rows is int r && proto.Dims[0] != r) || (columns is int c && proto.Dims[1] != c))
        {
            throw Shape(name, proto, $"[{rows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n"}, {columns?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n"}]");
        }
        return Float(proto);
    }

    /// <summary>A 1-D initializer of <paramref name="length"/> values.</summary>
    public Tensor Vector(string name, int length)
    {
        TensorProto proto = Initializer(name);
        if (proto.Dims.Count != 1 || proto.Dims[0] != length)
        {
            throw Shape(name, proto, $"[{length}]");
        }
        return Float(proto);
    }

    /// <summary>
    /// The projection <paramref name="name"/> ([out, in]): its bias <c>name.bias</c>, and its weight from the node the bias
    /// is added in: <c>Add(bias, MatMul(x, W))</c> with W [in, out] (or W = Transpose(V), V [out, in]), or <c>Gemm(x, W, bias)</c>.
    /// </summary>
    public BertProjection Projection(string name, int inputs, int? outputs)
    {
        string biasName = name + ".bias";
        TensorProto biasProto = Initializer(biasName);
        if (biasProto.Dims.Count != 1 || (outputs is int o && biasProto.Dims[0] != o))
        {
            throw Shape(biasName, biasProto, $"[{outputs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n"}]");
        }
        int width = (int)biasProto.Dims[0];
        Tensor weight = Weight(name, biasName, inputs, width);
        return new BertProjection(weight, Float(biasProto));
    }

    /// <summary>
    /// The head count of the attention whose query bias is <paramref name="queryBias"/>: the third value of the shape the
    /// biased queries are reshaped to ([batch, length, heads, hidden / heads]), as constants (an initializer or a Concat of
    /// constants); null if the graph computes it otherwise.
    /// </summary>
    public int? HeadsAfter(string queryBias, int hidden)
    {
        NodeProto? add = Consumers(queryBias).FirstOrDefault(n => n.OpType is "Add" or "Gemm");
        NodeProto? reshape = add is null ? null : Consumers(add.Output[0]).FirstOrDefault(n => n.OpType == "Reshape");
        if (reshape is null || reshape.Input.Count < 2)
        {
            return null;
        }
        long?[] shape = ConstantShape(reshape.Input[1]);
        return shape is [_, _, long heads, long size] && heads > 0 && heads * size == hidden ? (int)heads : null;
    }

    /// <summary>
    /// The tensor a layer ends in: the output of the node that adds <paramref name="normBias"/> (the decomposed
    /// LayerNorm's last Add) or takes it (a LayerNormalization node).
    /// </summary>
    public string OutputUsing(string normBias) =>
        Consumers(normBias).FirstOrDefault(n => n.OpType is "Add" or "LayerNormalization")?.Output[0]
            ?? throw new InvalidDataException($"{_path}: no Add or LayerNormalization node uses '{normBias}', so the layer's output tensor cannot be found");

    /// <summary>The attention probabilities after the query bias <paramref name="queryBias"/>: the first Softmax reached from it through the graph.</summary>
    public string SoftmaxAfter(string queryBias)
    {
        var queue = new Queue<string>([queryBias]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            foreach (NodeProto node in Consumers(queue.Dequeue()))
            {
                if (node.OpType == "Softmax")
                {
                    return node.Output[0];
                }
                foreach (string output in node.Output.Where(o => o.Length > 0 && seen.Add(o)))
                {
                    queue.Enqueue(output);
                }
            }
        }
        throw new InvalidDataException($"{_path}: no Softmax follows '{queryBias}', so the layer's attention probabilities cannot be found");
    }

    private long?[] ConstantShape(string name)
    {
        if (ConstantLongs(name) is long[] values)
        {
            return [.. values.Select(v => (long?)v)];
        }
        if (_producers.TryGetValue(name, out NodeProto? concat) && concat.OpType == "Concat")
        {
            return [.. concat.Input.Select(i => ConstantLongs(i) is [long v] ? v : (long?)null)];
        }
        return [];
    }

    private long[]? ConstantLongs(string name)
    {
        TensorProto? proto = _initializers.GetValueOrDefault(name);
        if (proto is null && _producers.TryGetValue(name, out NodeProto? node) && node.OpType == "Constant")
        {
            proto = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
        }
        if (proto is null || proto.DataType is not ((int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32))
        {
            return null;
        }
        using Tensor value = OnnxTensors.ToTensor(proto);
        using Tensor longs = value.to_type(ScalarType.Int64).contiguous();
        return longs.numel() == 0 ? [] : longs.data<long>().ToArray();
    }

    private Tensor Weight(string name, string biasName, int inputs, int outputs)
    {
        string expected = $"[{inputs}, {outputs}]";
        foreach (NodeProto node in Consumers(biasName))
        {
            if (node.OpType == "Gemm" && node.Input.Count == 3 && node.Input[2] == biasName)
            {
                bool transposed = node.Attribute.Any(a => a.Name == "transB" && a.I == 1);
                return Oriented(name, node.Input[1], transposed, inputs, outputs);
            }
            if (node.OpType != "Add")
            {
                continue;
            }
            string other = node.Input[0] == biasName ? node.Input[1] : node.Input[0];
            if (_producers.TryGetValue(other, out NodeProto? matMul) && matMul.OpType == "MatMul")
            {
                string b = matMul.Input[1];
                if (_producers.TryGetValue(b, out NodeProto? transpose) && transpose.OpType == "Transpose")
                {
                    return Oriented(name, transpose.Input[0], transposed: true, inputs, outputs);
                }
                return Oriented(name, b, transposed: false, inputs, outputs);
            }
        }
        throw new InvalidDataException($"{_path}: cannot find the weight of '{name}': expected '{biasName}' added to a MatMul by a weight initializer {expected} (or a Gemm taking it as its bias)");
    }

    /// <summary>The weight in PyTorch's layout [out, in], from an initializer stored [in, out] (or [out, in] when <paramref name="transposed"/>).</summary>
    private Tensor Oriented(string name, string initializer, bool transposed, int inputs, int outputs)
    {
        if (!_initializers.TryGetValue(initializer, out TensorProto? proto))
        {
            throw new InvalidDataException($"{_path}: the weight of '{name}' is the tensor '{initializer}', which is computed, not an initializer; expected a stored weight");
        }
        long[] expected = transposed ? [outputs, inputs] : [inputs, outputs];
        if (!proto.Dims.SequenceEqual(expected))
        {
            throw Shape($"{initializer}' (the weight of '{name}", proto, $"[{string.Join(", ", expected)}]");
        }
        using Tensor stored = Float(proto);
        return transposed ? stored.clone() : stored.t().contiguous();
    }

    private IEnumerable<NodeProto> Consumers(string name) => _consumers.TryGetValue(name, out List<NodeProto>? list) ? list : [];

    private TensorProto Initializer(string name) =>
        _initializers.TryGetValue(name, out TensorProto? proto) ? proto
            : throw new InvalidDataException($"{_path} has no initializer named '{name}': expected a BERT-family encoder as Hugging Face's exporter names its weights");

    private InvalidDataException Shape(string name, TensorProto proto, string expected) =>
        new($"{_path}: '{name}' has shape [{string.Join(", ", proto.Dims)}] where [{expected.Trim('[', ']')}] was expected");

    private Tensor Float(TensorProto proto)
    {
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"{_path}: '{proto.Name}' is {(TensorProto.Types.DataType)proto.DataType}, not float: expected a float32 model (not a quantized one)");
        }
        return OnnxTensors.ToTensor(proto);
    }
}

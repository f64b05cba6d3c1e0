using Compression.Onnx.Proto;
using Compression.Quantization.Ranges;
using Compression.Quantization.Graph;
using Compression.Quantization.Parameters;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Static quantization in QDQ form, the format ONNX Runtime fuses into QLinearConv / QGemm /
/// QLinearMatMul: for each Conv, Gemm and MatMul, the input and output activations pass through
/// QuantizeLinear→DequantizeLinear with calibrated parameters, weights are stored as int8 (per
/// output channel, symmetric) behind a DequantizeLinear, and the bias as int32 with scale = input
/// scale × weight scale, so that the fused kernel accumulates in integers. Nodes it does not rewrite
/// stay float.
/// </summary>
public sealed class QdqRewriter
{
    private readonly GraphEditor _editor;
    private readonly IReadOnlyDictionary<string, TensorRange> _ranges;
    private readonly QdqOptions _options;
    private readonly Dictionary<string, (string Dequantized, QuantizationParameters Parameters)> _activations = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> _passThrough;
    private readonly ILookup<string, NodeProto> _consumers;
    private readonly HashSet<string> _graphOutputs;

    private QdqRewriter(GraphProto graph, IReadOnlyDictionary<string, TensorRange> ranges, QdqOptions options, HashSet<NodeProto> passThrough)
    {
        _editor = new GraphEditor(graph);
        _ranges = ranges;
        _options = options;
        _passThrough = passThrough;
        _consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        _graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Rewrites <paramref name="model"/> in place; returns the names of the nodes quantized.</summary>
    public static IReadOnlyList<string> Apply(ModelProto model, IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough, IReadOnlyDictionary<string, TensorRange> ranges, QdqOptions options)
    {
        // Protobuf messages hash by value, and rewriting mutates them: decide membership by reference, up front.
        var wrap = new HashSet<NodeProto>(passThrough, ReferenceEqualityComparer.Instance);
        var rewrite = new HashSet<NodeProto>(nodes, ReferenceEqualityComparer.Instance);
        var rewriter = new QdqRewriter(model.Graph, ranges, options, wrap);
        foreach (NodeProto node in model.Graph.Node.ToList())
        {
            if (rewrite.Contains(node))
            {
                rewriter.Rewrite(node);
            }
            else if (wrap.Contains(node))
            {
                if (node.OpType == "Add")
                {
                    // Both inputs through a Q/DQ pair (an already quantized one reuses its pair).
                    for (int i = 0; i < node.Input.Count; i++)
                    {
                        node.Input[i] = rewriter.Activation(node.Input[i]).Name;
                    }
                }
                rewriter.QuantizeOutputUnlessReluFollows(node);
            }
        }
        rewriter._editor.Finish();
        return nodes.Select(n => n.Name).ToList();
    }

    /// <summary>
    /// Rewrites a copy of <paramref name="model"/> and leaves the model as it is; each given node's twin in the
    /// copy is found by position before the rewrite reorders the nodes (afterwards a twin's first input is the
    /// dequantized tensor it computes with). What bias correction measures and fine-tuning trains.
    /// </summary>
    public static (ModelProto Copy, IReadOnlyDictionary<NodeProto, NodeProto> Twins) ApplyToCopy(
        ModelProto model, IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough, IReadOnlyDictionary<string, TensorRange> ranges, QdqOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto copy = model.Clone();
        var positions = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < model.Graph.Node.Count; i++)
        {
            positions[model.Graph.Node[i]] = i;
        }
        var twins = new Dictionary<NodeProto, NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (NodeProto node in nodes.Concat(passThrough))
        {
            twins[node] = positions.TryGetValue(node, out int position)
                ? copy.Graph.Node[position]
                : throw new ArgumentException($"node '{node.Name}' is not in the model", nameof(nodes));
        }
        Apply(copy, [.. nodes.Select(n => twins[n])], [.. passThrough.Select(n => twins[n])], ranges, options);
        return (copy, twins);
    }

    private void Rewrite(NodeProto node)
    {
        var (input, inputParameters) = Activation(node.Input[0]);
        node.Input[0] = input;

        TensorProto weight = _editor.Initializer(node.Input[1]);
        float[] weights = GraphEditor.Floats(weight);
        bool columns = node.OpType == "MatMul";
        int channels = (int)weight.Dims[columns ? 1 : 0];
        QuantizedWeight quantized = columns
            ? QuantizedWeight.ChannelsLast(weights, (int)weight.Dims[0], channels, _options.PerChannel)
            : QuantizedWeight.ChannelsFirst(weights, channels, _options.PerChannel);
        if (_options.FakeQuantizedWeights)
        {
            node.Input[1] = FakeQuantize(weight.Name, quantized.Scales, axis: columns ? 1 : 0);
            QuantizeOutputUnlessReluFollows(node);
            return;
        }
        node.Input[1] = Dequantize(weight.Name, GraphEditor.Int8Tensor(TensorNames.Quantized(weight.Name), weight.Dims, quantized.Values), quantized.Scales, axis: columns ? 1 : 0,
            zeroPoint: GraphEditor.Int8Tensor(TensorNames.ZeroPoint(weight.Name), [channels], new sbyte[channels]));

        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            string biasName = node.Input[2];
            float[] bias = GraphEditor.Floats(_editor.Initializer(biasName));
            float[] scales = quantized.Scales.Select(s => inputParameters.Scale * s).ToArray();
            int[] codes = bias.Select((b, c) => (int)Math.Clamp(Math.Round(b / scales[c]), int.MinValue, int.MaxValue)).ToArray();
            node.Input[2] = Dequantize(biasName, GraphEditor.Int32Tensor(TensorNames.Quantized(biasName), [bias.Length], codes), scales, axis: 0);
        }

        QuantizeOutputUnlessReluFollows(node);
    }

    /// <summary>
    /// X→Relu with uint8 activations: the Relu's output is quantized with zero point 0, which clips at
    /// 0 by itself. Quantizing only that output (not X's as well) lets ONNX Runtime drop the Relu and
    /// fuse X and Q into one kernel (QLinearConv, QGemm); a Q/DQ pair on both sides of the Relu leaves
    /// a float Relu and a requantization between them (measured: the MNIST teacher's int8 went from
    /// 1.3x slower than fp32 to 1.4x faster at batch 64).
    /// </summary>
    private void QuantizeOutputUnlessReluFollows(NodeProto node)
    {
        bool reluFollows = _options.ActivationsUInt8
            && !_graphOutputs.Contains(node.Output[0])
            && _consumers[node.Output[0]].ToList() is [{ OpType: "Relu" } relu]
            && _passThrough.Contains(relu);
        if (!reluFollows)
        {
            QuantizeOutput(node);
        }
    }

    /// <summary>The node now writes a raw tensor, and a Q/DQ pair restores the original name for its consumers.</summary>
    private void QuantizeOutput(NodeProto node)
    {
        string output = node.Output[0];
        string raw = TensorNames.Unquantized(output);
        node.Output[0] = raw;
        var parameters = QuantizableNodes.SameScale.Contains(node.OpType) && _activations.TryGetValue(node.Input[0], out var input)
            ? input.Parameters
            : Parameters(output);
        var (scale, zeroPoint) = ScaleAndZeroPoint(output, parameters);
        _editor.AddNode("QuantizeLinear", [raw, scale, zeroPoint], [TensorNames.Quantized(output)]);
        _editor.AddNode("DequantizeLinear", [TensorNames.Quantized(output), scale, zeroPoint], [output]);
        // A quantized consumer of this output reuses the pair instead of stacking another.
        _activations[output] = (output, parameters);
    }

    private (string Name, QuantizationParameters Parameters) Activation(string tensor)
    {
        if (_activations.TryGetValue(tensor, out var existing))
        {
            return existing;
        }
        var parameters = Parameters(tensor);
        var (scale, zeroPoint) = ScaleAndZeroPoint(tensor, parameters);
        _editor.AddNode("QuantizeLinear", [tensor, scale, zeroPoint], [TensorNames.Quantized(tensor)]);
        _editor.AddNode("DequantizeLinear", [TensorNames.Quantized(tensor), scale, zeroPoint], [TensorNames.Dequantized(tensor)]);
        _activations[tensor] = (TensorNames.Dequantized(tensor), parameters);
        return _activations[tensor];
    }

    private QuantizationParameters Parameters(string tensor)
    {
        if (!_ranges.TryGetValue(tensor, out TensorRange range))
        {
            throw new InvalidOperationException($"no calibrated range for tensor '{tensor}'");
        }
        return _options.ActivationsUInt8
            ? QuantizationParameters.AsymmetricUInt8(range.Min, range.Max)
            : QuantizationParameters.SymmetricInt8(range.Min, range.Max);
    }

    private (string Scale, string ZeroPoint) ScaleAndZeroPoint(string tensor, QuantizationParameters parameters) => (
        _editor.AddInitializer(GraphEditor.FloatTensor(TensorNames.Scale(tensor), [], [parameters.Scale])),
        _editor.AddInitializer(GraphEditor.ZeroPoint(TensorNames.ZeroPoint(tensor), parameters.ZeroPoint, _options.ActivationsUInt8)));

    /// <summary>The float weight through QuantizeLinear→DequantizeLinear with its int8 scales (symmetric, zero point 0).</summary>
    private string FakeQuantize(string name, float[] scales, int axis)
    {
        string scale = _editor.AddInitializer(GraphEditor.FloatTensor(TensorNames.Scale(name), [scales.Length], scales));
        string zeroPoint = _editor.AddInitializer(GraphEditor.Int8Tensor(TensorNames.ZeroPoint(name), [scales.Length], new sbyte[scales.Length]));
        var axisAttribute = new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis };
        _editor.AddNode("QuantizeLinear", [name, scale, zeroPoint], [TensorNames.Quantized(name)]).Attribute.Add(axisAttribute);
        _editor.AddNode("DequantizeLinear", [TensorNames.Quantized(name), scale, zeroPoint], [TensorNames.Dequantized(name)]).Attribute.Add(axisAttribute.Clone());
        return TensorNames.Dequantized(name);
    }

    /// <summary>
    /// Weights and biases are symmetric, so their zero point is 0. The bias's is left out (0 is
    /// DequantizeLinear's default); the weight's is stored, because ONNX Runtime fuses Gemm into QGemm
    /// only when the weight's DequantizeLinear has one (measured: without it the Gemm stayed float).
    /// </summary>
    private string Dequantize(string name, TensorProto quantized, float[] scales, int axis, TensorProto? zeroPoint = null)
    {
        _editor.AddInitializer(quantized);
        _editor.AddInitializer(GraphEditor.FloatTensor(TensorNames.Scale(name), [scales.Length], scales));
        _editor.Replaced(name);
        string[] inputs = zeroPoint is null ? [quantized.Name, TensorNames.Scale(name)] : [quantized.Name, TensorNames.Scale(name), _editor.AddInitializer(zeroPoint)];
        _editor.AddNode("DequantizeLinear", inputs, [TensorNames.Dequantized(name)])
            .Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
        return TensorNames.Dequantized(name);
    }
}

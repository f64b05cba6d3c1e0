using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Compression.Quantization.Calibration;
using Compression.Quantization.Parameters;
using Google.Protobuf;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Static quantization in QDQ form, the format ONNX Runtime fuses into QLinearConv / QGemm: for each
/// Conv and Gemm, the input and output activations pass through QuantizeLinear→DequantizeLinear with
/// calibrated parameters, weights are stored as int8 (per output channel, symmetric) behind a
/// DequantizeLinear, and the bias as int32 with scale = input scale × weight scale, so that the
/// fused kernel accumulates in integers. Nodes it does not rewrite stay float.
/// </summary>
public sealed class QdqRewriter
{
    private readonly GraphProto _graph;
    private readonly IReadOnlyDictionary<string, TensorRange> _ranges;
    private readonly QdqOptions _options;
    private readonly Dictionary<string, (string Dequantized, QuantizationParameters Parameters)> _activations = new(StringComparer.Ordinal);
    private readonly List<NodeProto> _added = [];

    private QdqRewriter(GraphProto graph, IReadOnlyDictionary<string, TensorRange> ranges, QdqOptions options)
    {
        _graph = graph;
        _ranges = ranges;
        _options = options;
    }

    /// <summary>Rewrites <paramref name="model"/> in place; returns the names of the nodes quantized.</summary>
    public static IReadOnlyList<string> Apply(ModelProto model, IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough, IReadOnlyDictionary<string, TensorRange> ranges, QdqOptions options)
    {
        var rewriter = new QdqRewriter(model.Graph, ranges, options);
        var rewrite = nodes.ToHashSet();
        var wrap = passThrough.ToHashSet();
        foreach (NodeProto node in model.Graph.Node.ToList())
        {
            if (rewrite.Contains(node))
            {
                rewriter.Rewrite(node);
            }
            else if (wrap.Contains(node))
            {
                rewriter.QuantizeOutput(node);
            }
        }
        // Keep the graph topologically sorted: every added node goes right after its producer.
        var ordered = new List<NodeProto>();
        var pending = rewriter._added.ToList();
        var available = model.Graph.Input.Select(i => i.Name).Concat(model.Graph.Initializer.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var remaining = model.Graph.Node.Concat(pending).ToList();
        while (remaining.Count > 0)
        {
            NodeProto next = remaining.First(n => n.Input.All(i => i.Length == 0 || available.Contains(i)));
            remaining.Remove(next);
            ordered.Add(next);
            foreach (string output in next.Output)
            {
                available.Add(output);
            }
        }
        model.Graph.Node.Clear();
        model.Graph.Node.AddRange(ordered);
        return nodes.Select(n => n.Name).ToList();
    }

    private void Rewrite(NodeProto node)
    {
        var (input, inputParameters) = Activation(node.Input[0]);
        node.Input[0] = input;

        TensorProto weight = Initializer(node.Input[1]);
        int channels = (int)weight.Dims[0];
        float[] weights = Floats(weight);
        QuantizationParameters[] weightParameters = _options.PerChannel
            ? PerChannel.SymmetricInt8(weights, channels)
            : Enumerable.Repeat(QuantizationParameters.SymmetricInt8(-weights.Max(Math.Abs), weights.Max(Math.Abs)), channels).ToArray();
        int perChannel = weights.Length / channels;
        var quantized = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            quantized[i] = (sbyte)weightParameters[i / perChannel].Quantize(weights[i]);
        }
        node.Input[1] = Dequantize(weight.Name, Int8Tensor($"{weight.Name}_quantized", weight.Dims, quantized),
            weightParameters.Select(p => p.Scale).ToArray(), Int8Tensor($"{weight.Name}_zero_point", [channels], new sbyte[channels]));

        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            float[] bias = Floats(Initializer(node.Input[2]));
            float[] scales = weightParameters.Select(p => inputParameters.Scale * p.Scale).ToArray();
            int[] quantizedBias = bias.Select((b, c) => (int)Math.Clamp(Math.Round(b / scales[c]), int.MinValue, int.MaxValue)).ToArray();
            var biasTensor = new TensorProto { Name = $"{node.Input[2]}_quantized", DataType = (int)TensorProto.Types.DataType.Int32 };
            biasTensor.Dims.Add(bias.Length);
            biasTensor.Int32Data.AddRange(quantizedBias);
            var zero = new TensorProto { Name = $"{node.Input[2]}_zero_point", DataType = (int)TensorProto.Types.DataType.Int32 };
            zero.Dims.Add(bias.Length);
            zero.Int32Data.AddRange(new int[bias.Length]);
            node.Input[2] = Dequantize(node.Input[2], biasTensor, scales, zero);
        }

        QuantizeOutput(node);
    }

    /// <summary>The node now writes a raw tensor, and a Q/DQ pair restores the original name for its consumers.</summary>
    private void QuantizeOutput(NodeProto node)
    {
        string output = node.Output[0];
        string raw = $"{output}_raw";
        node.Output[0] = raw;
        var parameters = Parameters(output);
        var (scale, zeroPoint) = ScaleAndZeroPoint(output, parameters);
        AddNode("QuantizeLinear", [raw, scale, zeroPoint], [$"{output}_quantized"]);
        AddNode("DequantizeLinear", [$"{output}_quantized", scale, zeroPoint], [output]);
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
        AddNode("QuantizeLinear", [tensor, scale, zeroPoint], [$"{tensor}_quantized"]);
        AddNode("DequantizeLinear", [$"{tensor}_quantized", scale, zeroPoint], [$"{tensor}_dequantized"]);
        _activations[tensor] = ($"{tensor}_dequantized", parameters);
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

    private (string Scale, string ZeroPoint) ScaleAndZeroPoint(string tensor, QuantizationParameters parameters)
    {
        var scale = new TensorProto { Name = $"{tensor}_scale", DataType = (int)TensorProto.Types.DataType.Float };
        scale.FloatData.Add(parameters.Scale);
        var zeroPoint = new TensorProto
        {
            Name = $"{tensor}_zero_point",
            DataType = (int)(_options.ActivationsUInt8 ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Int8),
            RawData = ByteString.CopyFrom(_options.ActivationsUInt8 ? [(byte)parameters.ZeroPoint] : [unchecked((byte)(sbyte)parameters.ZeroPoint)]),
        };
        AddInitializer(scale);
        AddInitializer(zeroPoint);
        return (scale.Name, zeroPoint.Name);
    }

    private string Dequantize(string name, TensorProto quantized, float[] scales, TensorProto zeroPoint)
    {
        var scale = new TensorProto { Name = $"{name}_scale", DataType = (int)TensorProto.Types.DataType.Float };
        scale.Dims.Add(scales.Length);
        scale.FloatData.AddRange(scales);
        AddInitializer(quantized);
        AddInitializer(scale);
        AddInitializer(zeroPoint);
        _graph.Initializer.Remove(_graph.Initializer.First(t => t.Name == name));
        var node = AddNode("DequantizeLinear", [quantized.Name, scale.Name, zeroPoint.Name], [$"{name}_dequantized"]);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        return $"{name}_dequantized";
    }

    private NodeProto AddNode(string opType, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = opType, Name = $"{outputs[0]}_{opType}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        _added.Add(node);
        return node;
    }

    private void AddInitializer(TensorProto tensor)
    {
        if (_graph.Initializer.All(t => t.Name != tensor.Name))
        {
            _graph.Initializer.Add(tensor);
        }
    }

    private TensorProto Initializer(string name) => _graph.Initializer.First(t => t.Name == name);

    private static TensorProto Int8Tensor(string name, IEnumerable<long> dims, sbyte[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static float[] Floats(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
}

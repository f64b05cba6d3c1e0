using Compression.Onnx.Proto;
using Compression.Quantization.Graph;
using Compression.Quantization.Parameters;

namespace Compression.Quantization.Dynamic;

/// <summary>
/// Dynamic quantization: weights become int8 offline (symmetric, per output channel or per tensor),
/// activations are quantized at run time by DynamicQuantizeLinear (uint8, one scale per tensor per
/// call), so no calibration data is needed. Gemm and MatMul become MatMulInteger and Conv becomes
/// ConvInteger, each followed by Cast, a Mul by input scale × weight scale, and the float bias Add:
/// the layout ONNX Runtime fuses into DynamicQuantizeMatMul for the matrix products. Weight zero
/// points are 0, so per-channel scales can be applied after the integer product.
/// </summary>
public sealed class DynamicRewriter
{
    private readonly GraphEditor _editor;
    private readonly bool _perChannel;
    private readonly Dictionary<string, (string Quantized, string Scale, string ZeroPoint)> _inputs = new(StringComparer.Ordinal);

    private DynamicRewriter(GraphProto graph, bool perChannel)
    {
        _editor = new GraphEditor(graph);
        _perChannel = perChannel;
    }

    /// <summary>Rewrites <paramref name="nodes"/> (found by <see cref="Qdq.QuantizableNodes.Find"/>) of <paramref name="model"/> in place.</summary>
    public static void Apply(ModelProto model, IReadOnlyList<NodeProto> nodes, bool perChannel)
    {
        var rewriter = new DynamicRewriter(model.Graph, perChannel);
        foreach (NodeProto node in nodes)
        {
            rewriter.Rewrite(node);
        }
        var replaced = new HashSet<NodeProto>(nodes, ReferenceEqualityComparer.Instance);
        var kept = model.Graph.Node.Where(n => !replaced.Contains(n)).ToList();
        model.Graph.Node.Clear();
        model.Graph.Node.AddRange(kept);
        rewriter._editor.Finish();
    }

    private void Rewrite(NodeProto node)
    {
        var (input, inputScale, inputZeroPoint) = QuantizedInput(node.Input[0]);
        TensorProto weight = _editor.Initializer(node.Input[1]);
        float[] weights = GraphEditor.Floats(weight);
        string output = node.Output[0];
        _editor.Replaced(weight.Name);

        QuantizedWeight quantized;
        string product;
        long[] scaleShape;
        if (node.OpType == "Conv")
        {
            int channels = (int)weight.Dims[0];
            quantized = QuantizedWeight.ChannelsFirst(weights, channels, _perChannel);
            string codes = _editor.AddInitializer(GraphEditor.Int8Tensor(TensorNames.Quantized(weight.Name), weight.Dims, quantized.Values));
            NodeProto conv = _editor.AddNode("ConvInteger", [input, codes, inputZeroPoint], [$"{output}_int32"]);
            conv.Attribute.AddRange(node.Attribute.Select(a => a.Clone()));
            product = conv.Output[0];
            // Per output channel, broadcast over the spatial axes of [batch, channels, ...].
            scaleShape = [channels, .. Enumerable.Repeat(1L, weight.Dims.Count - 2)];
        }
        else
        {
            // MatMulInteger multiplies [.., K] by [K, N]: Gemm's transB=1 weight [N, K] is stored transposed.
            bool gemm = node.OpType == "Gemm";
            int rows = (int)weight.Dims[0], columns = (int)weight.Dims[1];
            quantized = gemm
                ? QuantizedWeight.ChannelsFirst(weights, rows, _perChannel)
                : QuantizedWeight.ChannelsLast(weights, rows, columns, _perChannel);
            sbyte[] codes = gemm ? QuantizedWeight.Transpose(quantized.Values, rows, columns) : quantized.Values;
            long[] dims = gemm ? [columns, rows] : [rows, columns];
            string name = _editor.AddInitializer(GraphEditor.Int8Tensor(TensorNames.Quantized(weight.Name), dims, codes));
            product = _editor.AddNode("MatMulInteger", [input, name, inputZeroPoint], [$"{output}_int32"]).Output[0];
            scaleShape = [quantized.Scales.Length];
        }

        NodeProto cast = _editor.AddNode("Cast", [product], [$"{output}_int32_float"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float });
        string asFloat = cast.Output[0];
        string weightScale = _editor.AddInitializer(GraphEditor.FloatTensor(TensorNames.Scale(weight.Name), scaleShape, quantized.Scales));
        // Not TensorNames.Scale(output): that is the name DynamicQuantizeLinear gives the scale of this output when a next node quantizes it.
        string scale = _editor.AddNode("Mul", [inputScale, weightScale], [$"{output}_rescale"]).Output[0];
        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        string scaled = _editor.AddNode("Mul", [asFloat, scale], [hasBias ? $"{output}_unbiased" : output]).Output[0];
        if (hasBias)
        {
            TensorProto bias = _editor.Initializer(node.Input[2]);
            _editor.Replaced(bias.Name);
            string shaped = _editor.AddInitializer(GraphEditor.FloatTensor($"{bias.Name}_broadcast", scaleShape, GraphEditor.Floats(bias)));
            _editor.AddNode("Add", [scaled, shaped], [output]);
        }
    }

    /// <summary>One DynamicQuantizeLinear per input tensor, shared by every node reading it.</summary>
    private (string Quantized, string Scale, string ZeroPoint) QuantizedInput(string tensor)
    {
        if (!_inputs.TryGetValue(tensor, out var quantized))
        {
            NodeProto node = _editor.AddNode("DynamicQuantizeLinear", [tensor], [TensorNames.Quantized(tensor), TensorNames.Scale(tensor), TensorNames.ZeroPoint(tensor)]);
            quantized = (node.Output[0], node.Output[1], node.Output[2]);
            _inputs[tensor] = quantized;
        }
        return quantized;
    }
}

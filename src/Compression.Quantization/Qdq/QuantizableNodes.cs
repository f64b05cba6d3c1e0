using Compression.Onnx.Proto;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Which nodes the quantizers rewrite: Conv, Gemm (transB=1, no transA, alpha = beta = 1) and
/// MatMul whose weight is a float initializer. Anything else stays float and is listed as such.
/// </summary>
public static class QuantizableNodes
{
    public static IReadOnlyList<NodeProto> Find(GraphProto graph, IReadOnlyCollection<string> exclude)
    {
        var floatWeights = graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).ToDictionary(t => t.Name, StringComparer.Ordinal);
        return graph.Node.Where(n => !exclude.Contains(n.Name) && n.Input.Count >= 2 && floatWeights.TryGetValue(n.Input[1], out var weight) && n.OpType switch
        {
            "Conv" => weight.Dims.Count >= 3,
            "Gemm" => weight.Dims.Count == 2 && Int(n, "transB", 0) == 1 && Int(n, "transA", 0) == 0 && Float(n, "alpha") == 1 && Float(n, "beta") == 1,
            "MatMul" => weight.Dims.Count == 2,
            _ => false,
        } && BiasFits(n, floatWeights)).ToList();
    }

    /// <summary>A bias, if any, must be a float initializer with one value per output channel (it becomes int32 or is added per channel).</summary>
    private static bool BiasFits(NodeProto node, Dictionary<string, TensorProto> floatWeights)
    {
        if (node.Input.Count < 3 || node.Input[2].Length == 0)
        {
            return true;
        }
        TensorProto weight = floatWeights[node.Input[1]];
        long channels = node.OpType == "MatMul" ? weight.Dims[1] : weight.Dims[0];
        return floatWeights.TryGetValue(node.Input[2], out var bias) && bias.Dims.Count == 1 && bias.Dims[0] == channels;
    }

    /// <summary>
    /// Ops that ONNX Runtime runs on quantized tensors when a Q/DQ pair surrounds them (Relu folds into
    /// the zero point, MaxPool and the reshapes run on uint8): quantizing their outputs too keeps
    /// whole chains in integers instead of bouncing through float between the QLinear kernels.
    /// </summary>
    public static readonly HashSet<string> PassThrough = ["Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape"];

    /// <summary>
    /// Pass-through ops that only move or select values: their output reuses their input's scale and
    /// zero point (whatever calibration says of the output), because ONNX Runtime runs them directly
    /// on the integers only when the Q/DQ pairs on both sides match.
    /// </summary>
    public static readonly HashSet<string> SameScale = ["MaxPool", "Flatten", "Reshape"];

    /// <summary>
    /// Pass-through nodes fed, directly or through other pass-through nodes, by a quantized node, and
    /// Add nodes (QLinearAdd) with a quantized input whose other input is quantized too or gets a Q/DQ
    /// pair anyway as a quantized node's input: a residual add whose shortcut is the block's input (which
    /// the body's first convolution quantizes) runs on integers even when the node before the block stays
    /// float (a shallow stem convolution, kept float because int8 was slower), at no extra Q/DQ; an input
    /// that would need a pair of its own (an excluded node's output) keeps the add float.
    /// </summary>
    public static IReadOnlyList<NodeProto> FollowingPassThrough(GraphProto graph, IReadOnlyList<NodeProto> quantized)
    {
        var quantizedOutputs = quantized.Select(n => n.Output[0]).ToHashSet(StringComparer.Ordinal);
        var quantizedInputs = quantized.Select(n => n.Input[0]).ToHashSet(StringComparer.Ordinal);
        var result = new List<NodeProto>();
        foreach (NodeProto node in graph.Node)
        {
            bool follows = node.OpType == "Add"
                ? node.Input.Count == 2 && node.Input.Any(quantizedOutputs.Contains) && node.Input.All(i => quantizedOutputs.Contains(i) || quantizedInputs.Contains(i))
                : PassThrough.Contains(node.OpType) && quantizedOutputs.Contains(node.Input[0]);
            if (follows)
            {
                result.Add(node);
                quantizedOutputs.Add(node.Output[0]);
            }
        }
        return result;
    }

    /// <summary>The activations whose ranges calibration must measure.</summary>
    public static IReadOnlyList<string> Activations(IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough) =>
        nodes.SelectMany(n => new[] { n.Input[0], n.Output[0] })
            .Concat(passThrough.Select(n => n.Output[0]))
            .Concat(passThrough.Where(n => n.OpType == "Add").SelectMany(n => n.Input))
            .Distinct(StringComparer.Ordinal).ToList();

    private static long Int(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    private static float Float(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.F ?? 1f;
}

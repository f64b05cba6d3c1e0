using Compression.Onnx.Proto;

namespace Compression.Quantization.Qdq;

/// <summary>The nodes the static quantizer rewrites: Conv and Gemm with float initializer weights.</summary>
public static class QuantizableNodes
{
    public static IReadOnlyList<NodeProto> Find(GraphProto graph, IReadOnlyCollection<string> exclude) =>
        graph.Node.Where(n => n.OpType is "Conv" or "Gemm"
                && !exclude.Contains(n.Name)
                && graph.Initializer.Any(t => t.Name == n.Input[1] && t.DataType == (int)TensorProto.Types.DataType.Float)
                && (n.OpType == "Conv" || TransB(n) == 1))
            .ToList();

    /// <summary>
    /// Ops that ONNX Runtime runs on quantized tensors when a Q/DQ pair surrounds them (Relu folds into
    /// the zero point, MaxPool and the reshapes run on uint8): quantizing their outputs too keeps
    /// whole chains in integers instead of bouncing through float between the QLinear kernels.
    /// </summary>
    public static readonly HashSet<string> PassThrough = ["Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape"];

    /// <summary>Pass-through nodes fed, directly or through other pass-through nodes, by a quantized node.</summary>
    public static IReadOnlyList<NodeProto> FollowingPassThrough(GraphProto graph, IReadOnlyList<NodeProto> quantized)
    {
        var quantizedOutputs = quantized.Select(n => n.Output[0]).ToHashSet(StringComparer.Ordinal);
        var result = new List<NodeProto>();
        foreach (NodeProto node in graph.Node)
        {
            if (PassThrough.Contains(node.OpType) && quantizedOutputs.Contains(node.Input[0]))
            {
                result.Add(node);
                quantizedOutputs.Add(node.Output[0]);
            }
        }
        return result;
    }

    /// <summary>The activations whose ranges calibration must measure.</summary>
    public static IReadOnlyList<string> Activations(IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough) =>
        nodes.SelectMany(n => new[] { n.Input[0], n.Output[0] }).Concat(passThrough.Select(n => n.Output[0])).Distinct(StringComparer.Ordinal).ToList();

    private static long TransB(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
}

namespace Compression.Models.Import.Ops;

/// <summary>
/// The registry of supported ops in the default ONNX domain, by op type (case-sensitive, as ONNX
/// names are): one entry per op, each family in a file of its own.
/// </summary>
internal static class OnnxOperators
{
    private static readonly Dictionary<string, OnnxOperator> s_operators = new IEnumerable<OnnxOperator>[]
    {
        ConvOps.Operators(),
        PoolOps.Operators(),
        NormalizationOps.Operators(),
        MatrixOps.Operators(),
        ElementwiseOps.Operators(),
        ActivationOps.Operators(),
        ShapeOps.Operators(),
        IndexingOps.Operators(),
        ReduceOps.Operators(),
        ValueOps.Operators(),
        QuantizationOps.Operators(),
    }.SelectMany(family => family).ToDictionary(op => op.OpType, StringComparer.Ordinal);

    /// <summary>Every supported op type, sorted.</summary>
    public static IReadOnlyList<string> OpTypes { get; } = [.. s_operators.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The op for a node of <paramref name="domain"/> (empty or "ai.onnx") and <paramref name="opType"/>, or null.</summary>
    public static OnnxOperator? Find(string domain, string opType) =>
        domain is "" or "ai.onnx" && s_operators.TryGetValue(opType, out OnnxOperator? op) ? op : null;
}

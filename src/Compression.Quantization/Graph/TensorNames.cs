namespace Compression.Quantization.Graph;

/// <summary>
/// Names of the tensors the quantizers add, derived from the tensor they stand for (so the graph
/// stays readable: "layer2.weight_q" is layer2.weight's int8 codes). The suffixes are short on
/// purpose: in a student of a few thousand weights, names are a visible share of the file.
/// </summary>
internal static class TensorNames
{
    /// <summary>The integer codes of a tensor.</summary>
    public static string Quantized(string tensor) => $"{tensor}_q";

    /// <summary>The float tensor restored from the codes.</summary>
    public static string Dequantized(string tensor) => $"{tensor}_dq";

    /// <summary>A tensor's quantization scale (one, or one per channel).</summary>
    public static string Scale(string tensor) => $"{tensor}_s";

    /// <summary>A tensor's quantization zero point.</summary>
    public static string ZeroPoint(string tensor) => $"{tensor}_zp";

    /// <summary>A node's float output before the Q/DQ pair that takes over its original name.</summary>
    public static string Unquantized(string tensor) => $"{tensor}_f";

    /// <summary>The bias bias correction gives a Conv or Gemm that had none, named after its weight.</summary>
    public static string CorrectedBias(string weight) => $"{weight}_bias";
}

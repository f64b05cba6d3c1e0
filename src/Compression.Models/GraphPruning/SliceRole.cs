namespace Compression.Models.GraphPruning;

/// <summary>What an initializer slice tied to a channel group is, for importance criteria that read only some.</summary>
public enum SliceRole
{
    /// <summary>A Conv, Gemm or MatMul weight (the producer's rows or a consumer's columns).</summary>
    Weight,

    /// <summary>A Conv or Gemm bias, or BatchNormalization's bias.</summary>
    Bias,

    /// <summary>BatchNormalization's scale (gamma).</summary>
    NormScale,

    /// <summary>BatchNormalization's running mean or variance.</summary>
    NormStatistic,

    /// <summary>A per-channel constant of an elementwise node (Add, Mul, ...).</summary>
    Constant,
}

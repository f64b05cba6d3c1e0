namespace Compression.Quantization.Qdq;

/// <summary>What <see cref="BiasCorrection"/> did.</summary>
/// <param name="Corrected">Conv and Gemm nodes whose bias was corrected.</param>
/// <param name="LargestShift">The largest |shift| subtracted from any bias.</param>
public sealed record BiasCorrectionOutcome(int Corrected, double LargestShift);

namespace Compression.Quantization.Ranges;

/// <summary>The float range [Min, Max] an activation is quantized over.</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    /// <summary>The symmetric range [-t, t].</summary>
    public static TensorRange Symmetric(float threshold) => new(-threshold, threshold);
}

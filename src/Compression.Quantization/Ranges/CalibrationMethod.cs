namespace Compression.Quantization.Ranges;

/// <summary>How an activation's range is chosen from calibration data.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,

    /// <summary>A high percentile of |x| (e.g. 99.99), clipping rare outliers.</summary>
    Percentile,

    /// <summary>The clipping threshold that minimises the KL divergence between the float and quantized distributions (TensorRT's entropy calibration).</summary>
    Entropy,
}

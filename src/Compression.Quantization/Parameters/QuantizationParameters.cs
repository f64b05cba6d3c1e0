namespace Compression.Quantization.Parameters;

/// <summary>
/// Scale and zero point of a linear quantization: q = clamp(round(x / Scale) + ZeroPoint, QMin, QMax),
/// x ~ (q - ZeroPoint) * Scale, as ONNX QuantizeLinear/DequantizeLinear define them.
/// </summary>
public readonly record struct QuantizationParameters(float Scale, int ZeroPoint, int QMin, int QMax)
{
    /// <summary>Symmetric int8: zero point 0, range [-127, 127] (the -128 code is left unused so -x quantizes to -q).</summary>
    public static QuantizationParameters SymmetricInt8(float min, float max)
    {
        float threshold = Math.Max(Math.Abs(min), Math.Abs(max));
        return new QuantizationParameters(threshold > 0 ? threshold / 127f : 1f, 0, -127, 127);
    }

    /// <summary>Asymmetric uint8 over [min, max] widened to contain 0, so that 0 maps to an exact code.</summary>
    public static QuantizationParameters AsymmetricUInt8(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max == min)
        {
            return new QuantizationParameters(1f, 0, 0, 255);
        }
        float scale = (max - min) / 255f;
        int zeroPoint = (int)Math.Clamp(Math.Round(-min / scale), 0, 255);
        return new QuantizationParameters(scale, zeroPoint, 0, 255);
    }

    public int Quantize(float x) => (int)Math.Clamp(Math.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint, QMin, QMax);

    public float Dequantize(int q) => (q - ZeroPoint) * Scale;
}

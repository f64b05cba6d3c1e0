namespace Compression.Quantization.Parameters;

/// <summary>
/// A float weight as symmetric int8 codes (zero point 0) with one scale per output channel, or the
/// same scale repeated for every channel when quantized per tensor.
/// </summary>
/// <param name="Values">The codes, in the layout of the float weight they replace.</param>
/// <param name="Scales">A scale per output channel.</param>
public sealed record QuantizedWeight(sbyte[] Values, float[] Scales)
{
    /// <summary>
    /// Quantizes <paramref name="weights"/> laid out [channels, rest...] (Conv, Gemm with transB=1):
    /// per channel, each channel's own largest |w| maps to 127; per tensor, the largest of all does.
    /// </summary>
    public static QuantizedWeight ChannelsFirst(float[] weights, int channels, bool perChannel)
    {
        QuantizationParameters[] parameters = PerChannel.SymmetricInt8(weights, channels);
        if (!perChannel)
        {
            float max = weights.Length == 0 ? 0 : weights.Max(Math.Abs);
            parameters = Enumerable.Repeat(QuantizationParameters.SymmetricInt8(-max, max), channels).ToArray();
        }
        int perChannelCount = weights.Length / channels;
        var values = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            values[i] = (sbyte)parameters[i / perChannelCount].Quantize(weights[i]);
        }
        return new QuantizedWeight(values, parameters.Select(p => p.Scale).ToArray());
    }

    /// <summary>Quantizes a [rows, columns] weight whose output channels are its columns (MatMul's B), keeping that layout.</summary>
    public static QuantizedWeight ChannelsLast(float[] weights, int rows, int columns, bool perChannel)
    {
        QuantizedWeight transposed = ChannelsFirst(Transpose(weights, rows, columns), columns, perChannel);
        return transposed with { Values = Transpose(transposed.Values, columns, rows) };
    }

    /// <summary>The [rows, columns] matrix as [columns, rows].</summary>
    public static T[] Transpose<T>(T[] matrix, int rows, int columns)
    {
        var result = new T[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }
        return result;
    }
}

namespace Compression.Quantization.Parameters;

/// <summary>
/// Per-output-channel symmetric int8 parameters for a weight tensor laid out [channels, ...]
/// (Gemm with transB=1, Conv): each channel gets its own scale, so a channel of small weights is
/// not crushed by another channel's large ones.
/// </summary>
public static class PerChannel
{
    public static QuantizationParameters[] SymmetricInt8(ReadOnlySpan<float> weights, int channels)
    {
        if (channels <= 0 || weights.Length % channels != 0)
        {
            throw new ArgumentException($"{weights.Length} weights do not split into {channels} channels");
        }
        int perChannel = weights.Length / channels;
        var parameters = new QuantizationParameters[channels];
        for (int c = 0; c < channels; c++)
        {
            float max = 0;
            foreach (float w in weights.Slice(c * perChannel, perChannel))
            {
                max = Math.Max(max, Math.Abs(w));
            }
            parameters[c] = QuantizationParameters.SymmetricInt8(-max, max);
        }
        return parameters;
    }
}

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// Sentence-transformers' pooling: the mean of the token vectors a row attends to, then L2 normalisation,
/// with its clamps (the token count at least 1e-9, the norm at least 1e-12) so a zero vector stays zero.
/// </summary>
internal static class MeanPooling
{
    private const double MinTokenCount = 1e-9;
    private const double MinNorm = 1e-12;

    /// <summary>Row-major [rows, hidden] unit vectors from [rows, sequence, hidden] hidden states and a [rows, sequence] 0/1 mask.</summary>
    public static float[] PoolAndNormalize(ReadOnlySpan<float> hiddenStates, ReadOnlySpan<long> mask, int rows, int sequence, int hidden)
    {
        if (hiddenStates.Length != (long)rows * sequence * hidden || mask.Length != (long)rows * sequence)
        {
            throw new ArgumentException($"Expected [{rows}, {sequence}, {hidden}] hidden states and a [{rows}, {sequence}] mask, got {hiddenStates.Length} and {mask.Length} values.");
        }
        var pooled = new float[rows * hidden];
        var sum = new double[hidden];
        for (int row = 0; row < rows; row++)
        {
            Array.Clear(sum);
            double tokens = 0;
            for (int t = 0; t < sequence; t++)
            {
                long weight = mask[(row * sequence) + t];
                if (weight == 0)
                {
                    continue;
                }
                tokens += weight;
                ReadOnlySpan<float> token = hiddenStates.Slice(((row * sequence) + t) * hidden, hidden);
                for (int i = 0; i < hidden; i++)
                {
                    sum[i] += weight * (double)token[i];
                }
            }
            double count = Math.Max(tokens, MinTokenCount);
            double squares = 0;
            for (int i = 0; i < hidden; i++)
            {
                sum[i] /= count;
                squares += sum[i] * sum[i];
            }
            double scale = 1 / Math.Max(Math.Sqrt(squares), MinNorm);
            Span<float> target = pooled.AsSpan(row * hidden, hidden);
            for (int i = 0; i < hidden; i++)
            {
                target[i] = (float)(sum[i] * scale);
            }
        }
        return pooled;
    }
}

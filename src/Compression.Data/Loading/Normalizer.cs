namespace Compression.Data.Loading;

/// <summary>Per-feature normalisation in place; statistics come from the train split only, so nothing leaks from validation or test.</summary>
internal static class Normalizer
{
    public static void Scale(Span<float> values, float factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    /// <summary>Mean and population standard deviation of each feature over the rows of <paramref name="train"/> (two passes, in double); a constant feature gets a deviation of 1.</summary>
    public static (float[] Mean, float[] Std) Statistics(float[] train, int sampleSize)
    {
        int rows = train.Length / sampleSize;
        var mean = new double[sampleSize];
        var squares = new double[sampleSize];
        for (int offset = 0; offset < train.Length; offset += sampleSize)
        {
            for (int j = 0; j < sampleSize; j++)
            {
                mean[j] += train[offset + j];
            }
        }
        for (int j = 0; j < sampleSize && rows > 0; j++)
        {
            mean[j] /= rows;
        }
        for (int offset = 0; offset < train.Length; offset += sampleSize)
        {
            for (int j = 0; j < sampleSize; j++)
            {
                double d = train[offset + j] - mean[j];
                squares[j] += d * d;
            }
        }
        var meanOut = new float[sampleSize];
        var stdOut = new float[sampleSize];
        for (int j = 0; j < sampleSize; j++)
        {
            double std = rows == 0 ? 0 : Math.Sqrt(squares[j] / rows);
            meanOut[j] = (float)mean[j];
            stdOut[j] = std > 1e-12 ? (float)std : 1f;
        }
        return (meanOut, stdOut);
    }

    public static void Standardize(Span<float> values, float[] mean, float[] std)
    {
        int sampleSize = mean.Length;
        for (int offset = 0; offset < values.Length; offset += sampleSize)
        {
            for (int j = 0; j < sampleSize; j++)
            {
                values[offset + j] = (values[offset + j] - mean[j]) / std[j];
            }
        }
    }
}

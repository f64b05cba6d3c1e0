using Compression.Abstractions.Data;

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

    /// <summary>
    /// Mean and population standard deviation of each feature over the rows of <paramref name="train"/>
    /// (two passes, in double, row after row, read in pieces so a split in a file is never held whole);
    /// a constant feature gets a deviation of 1.
    /// </summary>
    public static (float[] Mean, float[] Std) Statistics(LabelledData train)
    {
        int sampleSize = train.SampleSize;
        int rows = train.Count;
        var mean = new double[sampleSize];
        var squares = new double[sampleSize];
        ForEachRow(train, row =>
        {
            for (int j = 0; j < sampleSize; j++)
            {
                mean[j] += row[j];
            }
        });
        for (int j = 0; j < sampleSize && rows > 0; j++)
        {
            mean[j] /= rows;
        }
        ForEachRow(train, row =>
        {
            for (int j = 0; j < sampleSize; j++)
            {
                double d = row[j] - mean[j];
                squares[j] += d * d;
            }
        });
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

    private delegate void RowAction(ReadOnlySpan<float> row);

    /// <summary>Visits the rows in order, reading about 4 Mi values at a time.</summary>
    private static void ForEachRow(LabelledData data, RowAction action)
    {
        int size = data.SampleSize;
        int perRead = Math.Max(1, (1 << 22) / size);
        var buffer = new float[(long)Math.Min(perRead, Math.Max(data.Count, 1)) * size];
        for (int start = 0; start < data.Count; start += perRead)
        {
            int count = Math.Min(perRead, data.Count - start);
            data.CopyRows(start, count, buffer);
            for (int r = 0; r < count; r++)
            {
                action(buffer.AsSpan(r * size, size));
            }
        }
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

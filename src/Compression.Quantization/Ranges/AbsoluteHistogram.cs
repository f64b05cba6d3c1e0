namespace Compression.Quantization.Ranges;

/// <summary>
/// A fixed-size histogram of |x| over [0, max|x|]. When a later batch exceeds the current range the
/// bins are merged pairwise (the range doubles) until it fits, so memory stays at BinCount counters.
/// </summary>
public sealed class AbsoluteHistogram(int binCount = 2048)
{
    private readonly double[] _counts = new double[binCount];

    public int BinCount { get; } = binCount;

    /// <summary>Upper edge of the last bin; 0 until a non-zero value arrives.</summary>
    public double Range { get; private set; }

    public double Total { get; private set; }

    public IReadOnlyList<double> Counts => _counts;

    public double BinWidth => Range / BinCount;

    /// <summary>The smallest finite value seen (not its magnitude): a tensor that is never negative stays so when clipped.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>The largest finite value seen.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>
    /// The observed range clipped to [-threshold, threshold]. A post-Relu tensor keeps its lower end
    /// at 0, so uint8 quantization gives it zero point 0 (which ONNX Runtime needs to drop the Relu)
    /// instead of spending half its codes on negatives that never occur.
    /// </summary>
    public TensorRange Clip(double threshold) => new(Math.Max(Min, (float)-threshold), Math.Min(Max, (float)threshold));

    public void Add(ReadOnlySpan<float> values)
    {
        float max = 0;
        foreach (float value in values)
        {
            if (float.IsFinite(value))
            {
                max = Math.Max(max, Math.Abs(value));
                Min = Math.Min(Min, value);
                Max = Math.Max(Max, value);
            }
        }
        if (Range == 0)
        {
            Range = max > 0 ? max : 0;
        }
        while (max > Range && Range > 0)
        {
            for (int i = 0; i < BinCount / 2; i++)
            {
                _counts[i] = _counts[2 * i] + _counts[(2 * i) + 1];
            }
            Array.Clear(_counts, BinCount / 2, BinCount / 2);
            Range *= 2;
        }
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                continue;
            }
            int bin = Range == 0 ? 0 : (int)(Math.Abs(value) / Range * BinCount);
            _counts[Math.Min(bin, BinCount - 1)]++;
            Total++;
        }
    }
}

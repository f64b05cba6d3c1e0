namespace Compression.Quantization.Ranges;

/// <summary>
/// The given percentile of |x| (from a bounded histogram, so exact to one bin width) as a clipping
/// threshold on the observed range: rare outliers are clipped instead of stretching every other
/// value's step.
/// </summary>
public sealed class PercentileCalibrator(double percentile = 99.99, int bins = 2048) : ICalibrator
{
    private readonly AbsoluteHistogram _histogram = new(bins);

    public void Collect(ReadOnlySpan<float> values) => _histogram.Add(values);

    public TensorRange ComputeRange()
    {
        if (_histogram.Total == 0)
        {
            throw new InvalidOperationException("no finite values were collected");
        }
        double target = _histogram.Total * percentile / 100;
        double cumulative = 0;
        for (int i = 0; i < _histogram.BinCount; i++)
        {
            cumulative += _histogram.Counts[i];
            if (cumulative >= target)
            {
                return _histogram.Clip((i + 1) * _histogram.BinWidth);
            }
        }
        return _histogram.Clip(_histogram.Range);
    }
}

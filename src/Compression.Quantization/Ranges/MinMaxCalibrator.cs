namespace Compression.Quantization.Ranges;

/// <summary>The observed minimum and maximum, widened to include 0 so that 0 is exactly representable.</summary>
public sealed class MinMaxCalibrator : ICalibrator
{
    private float _min = float.PositiveInfinity;
    private float _max = float.NegativeInfinity;

    public void Collect(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            if (float.IsFinite(value))
            {
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
            }
        }
    }

    public TensorRange ComputeRange()
    {
        if (_min > _max)
        {
            throw new InvalidOperationException("no finite values were collected");
        }
        return new TensorRange(Math.Min(_min, 0), Math.Max(_max, 0));
    }
}

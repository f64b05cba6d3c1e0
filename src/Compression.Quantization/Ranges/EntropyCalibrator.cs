namespace Compression.Quantization.Ranges;

/// <summary>
/// Entropy calibration as in TensorRT ("8-bit Inference with TensorRT", Migacz 2017): over a
/// histogram of |x|, try each clipping threshold i (in bins, from <c>levels</c> to the histogram's
/// size); the reference P is the histogram up to i with everything beyond folded into its last bin,
/// the candidate Q is P's first i bins merged into <c>levels</c> quantization levels and spread back
/// over the non-empty bins; choose the i with the smallest KL(P || Q). Written here because no
/// package we can use provides it.
/// </summary>
public sealed class EntropyCalibrator(int levels = 128, int bins = 2048) : ICalibrator
{
    private readonly AbsoluteHistogram _histogram = new(bins);

    public void Collect(ReadOnlySpan<float> values) => _histogram.Add(values);

    public TensorRange ComputeRange()
    {
        if (_histogram.Total == 0)
        {
            throw new InvalidOperationException("no finite values were collected");
        }
        var counts = _histogram.Counts;
        int bestBins = counts.Count;
        double bestDivergence = double.PositiveInfinity;
        for (int i = levels; i <= counts.Count; i++)
        {
            double divergence = Divergence(counts, i, levels);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestBins = i;
            }
        }
        return _histogram.Clip((bestBins + 0.5) * _histogram.BinWidth);
    }

    /// <summary>KL(P || Q) for clipping at <paramref name="clip"/> bins.</summary>
    internal static double Divergence(IReadOnlyList<double> counts, int clip, int levels)
    {
        var reference = new double[clip];
        for (int j = 0; j < clip; j++)
        {
            reference[j] = counts[j];
        }
        for (int j = clip; j < counts.Count; j++)
        {
            reference[clip - 1] += counts[j];
        }

        var candidate = new double[clip];
        double binsPerLevel = (double)clip / levels;
        for (int level = 0; level < levels; level++)
        {
            int start = (int)Math.Floor(level * binsPerLevel);
            int end = level == levels - 1 ? clip : (int)Math.Floor((level + 1) * binsPerLevel);
            double sum = 0;
            int nonEmpty = 0;
            for (int j = start; j < end; j++)
            {
                sum += counts[j];
                nonEmpty += counts[j] > 0 ? 1 : 0;
            }
            for (int j = start; j < end; j++)
            {
                candidate[j] = counts[j] > 0 ? sum / nonEmpty : 0;
            }
        }

        double p = reference.Sum(), q = candidate.Sum();
        if (p == 0 || q == 0)
        {
            return double.PositiveInfinity;
        }
        double divergence = 0;
        for (int j = 0; j < clip; j++)
        {
            if (reference[j] == 0)
            {
                continue;
            }
            if (candidate[j] == 0)
            {
                return double.PositiveInfinity;
            }
            double pj = reference[j] / p, qj = candidate[j] / q;
            divergence += pj * Math.Log(pj / qj);
        }
        return divergence;
    }
}

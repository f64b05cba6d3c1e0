using Compression.Quantization.Ranges;

namespace Compression.Quantization.Tests.Ranges;

public class CalibratorTests
{
    [Fact]
    public void MinMax_is_the_range_over_all_batches_widened_to_zero()
    {
        var calibrator = CalibratorFactory.Create(CalibrationMethod.MinMax);
        calibrator.Collect([1f, -2f, 3f]);
        calibrator.Collect([0.5f, 7f, float.NaN]);
        Assert.Equal(new TensorRange(-2f, 7f), calibrator.ComputeRange());

        var positive = new MinMaxCalibrator();
        positive.Collect([2f, 5f]);
        Assert.Equal(new TensorRange(0f, 5f), positive.ComputeRange());
    }

    [Fact]
    public void A_calibrator_that_saw_nothing_says_so()
    {
        foreach (CalibrationMethod method in Enum.GetValues<CalibrationMethod>())
        {
            Assert.Throws<InvalidOperationException>(() => CalibratorFactory.Create(method).ComputeRange());
        }
    }

    [Fact]
    public void Percentile_of_1_to_1000_is_exact_to_one_bin()
    {
        var calibrator = new PercentileCalibrator(percentile: 90, bins: 2048);
        float[] values = Enumerable.Range(1, 1000).Select(v => (float)(v % 2 == 0 ? v : -v)).ToArray();
        calibrator.Collect(values.AsSpan(0, 500));
        calibrator.Collect(values.AsSpan(500));
        TensorRange range = calibrator.ComputeRange();
        Assert.InRange(range.Max, 900f, 900f + (1000f / 2048) + 0.01f);
        Assert.Equal(-range.Max, range.Min);
    }

    [Fact]
    public void The_histogram_doubles_its_range_without_losing_counts()
    {
        var histogram = new AbsoluteHistogram(binCount: 4);
        histogram.Add([1f, 0.1f]);
        histogram.Add([3f, -2.5f]);
        Assert.Equal(4, histogram.Range);
        Assert.Equal(4, histogram.Total);
        Assert.Equal(4, histogram.Counts.Sum());
        // Range 1 -> 2 -> 4 by pairwise merging: 0.1 and 1.0 (the old top bin) share bin [0, 1]; 2.5 and 3 are new.
        Assert.Equal(new double[] { 2, 0, 1, 1 }, histogram.Counts);
    }

    [Fact]
    public void KL_divergence_of_a_clipped_histogram_matches_the_hand_computed_value()
    {
        double[] counts = [1, 1, 1, 1];
        // Clipping at all 4 bins with 2 levels loses nothing: P = Q.
        Assert.Equal(0, EntropyCalibrator.Divergence(counts, clip: 4, levels: 2), precision: 12);
        // Clipping at 2 bins: P = [1, 1 + 2] / 4, Q = [1, 1] / 2; KL = 0.25 ln(0.5) + 0.75 ln(1.5).
        Assert.Equal((0.25 * Math.Log(0.5)) + (0.75 * Math.Log(1.5)), EntropyCalibrator.Divergence(counts, clip: 2, levels: 2), precision: 12);
    }

    [Fact]
    public void Outliers_stretch_MinMax_but_not_Percentile_or_Entropy()
    {
        var random = new Random(3);
        var gaussian = new float[200_000];
        for (int i = 0; i < gaussian.Length; i++)
        {
            gaussian[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        float[] outliers = [60f, -55f, 58f];
        var ranges = Enum.GetValues<CalibrationMethod>().ToDictionary(m => m, m =>
        {
            var calibrator = CalibratorFactory.Create(m);
            calibrator.Collect(gaussian);
            calibrator.Collect(outliers);
            return calibrator.ComputeRange().Max;
        });
        Assert.Equal(60f, ranges[CalibrationMethod.MinMax]);
        Assert.InRange(ranges[CalibrationMethod.Percentile], 3.5f, 4.5f);
        Assert.InRange(ranges[CalibrationMethod.Entropy], 2f, 12f);
    }

    [Theory]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void A_never_negative_tensor_keeps_zero_as_its_lower_end(CalibrationMethod method)
    {
        // A post-Relu activation: zeros and positives, one outlier.
        float[] values = [.. Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? 0f : (i % 97) / 10f), 500f];
        var calibrator = CalibratorFactory.Create(method, null);
        calibrator.Collect(values);

        TensorRange range = calibrator.ComputeRange();

        Assert.Equal(0f, range.Min);
        Assert.InRange(range.Max, 5f, 500f);
    }
}

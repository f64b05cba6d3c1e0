namespace Compression.Quantization.Ranges;

/// <summary>Options for creating calibrators; the defaults are the usual ones.</summary>
public sealed record CalibratorOptions(double Percentile = 99.99, int HistogramBins = 2048, int EntropyLevels = 128);

/// <summary>Creates the calibrator for a method (a lookup by enum, not an if/else chain over names).</summary>
public static class CalibratorFactory
{
    private static readonly Dictionary<CalibrationMethod, Func<CalibratorOptions, ICalibrator>> s_factories = new()
    {
        [CalibrationMethod.MinMax] = _ => new MinMaxCalibrator(),
        [CalibrationMethod.Percentile] = o => new PercentileCalibrator(o.Percentile, o.HistogramBins),
        [CalibrationMethod.Entropy] = o => new EntropyCalibrator(o.EntropyLevels, o.HistogramBins),
    };

    public static ICalibrator Create(CalibrationMethod method, CalibratorOptions? options = null) =>
        s_factories[method](options ?? new CalibratorOptions());
}

using Compression.Abstractions.Metrics;

namespace Compression.Plugins.Calibration;

/// <summary>The metrics the calibrate stage reports, described before it runs.</summary>
internal static class CalibrationMetricDescriptors
{
    public static IEnumerable<MetricDescriptor> All()
    {
        yield return new("calibration.temperature", "", MetricDirection.Neither, "fitted temperature") { Format = "0.####" };
        foreach (string when in (string[])["before", "after"])
        {
            yield return new($"calibration.ece_{when}", "", MetricDirection.LowerIsBetter, $"expected calibration error {when} calibrating") { Format = "0.0000" };
            yield return new($"calibration.mce_{when}", "", MetricDirection.LowerIsBetter, $"maximum calibration error {when} calibrating") { Format = "0.0000" };
            yield return new($"calibration.nll_{when}", "nats", MetricDirection.LowerIsBetter, $"test NLL {when} calibrating") { Format = "0.0000" };
            yield return new($"calibration.brier_{when}", "", MetricDirection.LowerIsBetter, $"Brier score {when} calibrating") { Format = "0.0000" };
        }
        yield return new(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" };
    }
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Compression.Quantization.Calibration;

namespace Compression.Plugins.Quantization;

/// <summary>Settings of the quantize stage (static INT8 in QDQ form).</summary>
public sealed class QuantizeSettings
{
    [Description("How activation ranges are chosen: \"minMax\", \"percentile\" or \"entropy\".")]
    public CalibrationMethod Calibrator { get; set; } = CalibrationMethod.MinMax;

    [Range(50.0, 100.0, ErrorMessage = "must be in [50, 100]")]
    [Description("Percentile of |x| for the percentile calibrator.")]
    public double Percentile { get; set; } = 99.99;

    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000")]
    [Description("Batches of the train split used to calibrate activation ranges.")]
    public int CalibrationBatches { get; set; } = 10;

    [Range(1, 65_536, ErrorMessage = "must be between 1 and 65536")]
    public int BatchSize { get; set; } = 64;

    [Description("A weight scale per output channel (true) or per tensor (false).")]
    public bool PerChannel { get; set; } = true;

    [Description("\"uint8\" (asymmetric) or \"int8\" (symmetric) activations.")]
    [AllowedValues("uint8", "int8", ErrorMessage = "must be \"uint8\" or \"int8\"")]
    public string Activations { get; set; } = "uint8";

    [Description("Names of nodes to keep in float.")]
    public List<string> Exclude { get; set; } = [];
}

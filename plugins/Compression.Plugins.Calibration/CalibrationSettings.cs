using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Calibration;

/// <summary>Settings of the calibrate stage.</summary>
public sealed class CalibrationSettings
{
    [Range(2, 1000, ErrorMessage = "must be between 2 and 1000")]
    [Description("Equal-width confidence bins for ECE, MCE and the reliability diagram.")]
    public int Bins { get; set; } = 15;

    [Range(1e-3, 1e3, ErrorMessage = "must be in [0.001, 1000]")]
    [Description("Smallest temperature the search considers.")]
    public double MinTemperature { get; set; } = 0.05;

    [Range(1e-3, 1e3, ErrorMessage = "must be in [0.001, 1000]")]
    [Description("Largest temperature the search considers.")]
    public double MaxTemperature { get; set; } = 20;
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Export;

/// <summary>Settings of the export stage.</summary>
public sealed class ExportSettings
{
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000")]
    [Description("Validation samples run through TorchSharp and ONNX Runtime to verify the exported file.")]
    public int VerificationSamples { get; set; } = 256;

    [Range(1e-9, 1.0, ErrorMessage = "must be between 1e-9 and 1")]
    [Description("Largest difference between TorchSharp and ONNX Runtime outputs that is accepted, relative to the largest |logit| (at least 1): float rounding grows with the values.")]
    public double Tolerance { get; set; } = 1e-4;
}

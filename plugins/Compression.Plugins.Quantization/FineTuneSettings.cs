using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Quantization;

/// <summary>The quantize stage's quantization-aware fine-tuning (<see cref="QuantizeSettings.FineTune"/>).</summary>
public sealed class FineTuneSettings
{
    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    [Description("Passes over the train rows.")]
    public int Epochs { get; set; } = 2;

    [Range(1e-8, 1e-2, ErrorMessage = "must be between 1e-8 and 0.01")]
    [Description("Adam's learning rate: small, since the weights only need to move by about a rounding step (on ResNet-18, 1e-5 made the int8 model's logits 15x further from fp32's; 1e-6 brought them 2.7x closer).")]
    public double LearningRate { get; set; } = 1e-6;

    [Range(1, 1024, ErrorMessage = "must be between 1 and 1024")]
    [Description("Rows per step.")]
    public int BatchSize { get; set; } = 16;

    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000")]
    [Description("The most train rows used (the first ones); fewer rows make each epoch cheaper on a large model.")]
    public int MaxRows { get; set; } = 1000;
}

using System.ComponentModel;

namespace Compression.Plugins.Distillation.Features;

/// <summary>One entry of the distill stage's <c>taps</c>: where a feature-based method reads features.</summary>
public sealed class TapSettings
{
    [Description("Name of a student layer (its \"name\" in the student spec).")]
    public string Student { get; set; } = "";

    [Description("For a teacher given as a spec, a layer name; for an ONNX teacher, the name of a tensor its graph computes.")]
    public string Teacher { get; set; } = "";
}

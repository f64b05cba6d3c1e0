using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Compression.Models.Training;

namespace Compression.Plugins.Distillation;

/// <summary>Settings of the distill stage: the student, the method, and how to train (inherited).</summary>
public sealed class DistillSettings : TrainingSettings
{
    [Description("The student's model spec: {\"input\": [...], \"layers\": [...]}. Required.")]
    public JsonElement? Student { get; set; }

    [Description("The distillation method (see `compress plugins`); \"kd\" is Hinton et al. 2015.")]
    public string Method { get; set; } = "kd";

    [Range(1e-6, 1000.0, ErrorMessage = "must be in (0, 1000]")]
    [Description("Softening temperature T for soft targets.")]
    public double Temperature { get; set; } = 4;

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("Weight of the teacher's soft targets; hard labels get 1 - alpha.")]
    public double Alpha { get; set; } = 0.9;

    [Description("Numbers specific to the chosen method.")]
    public Dictionary<string, double> MethodParameters { get; set; } = [];

    [Description("Also train the same student from scratch (same epochs and seed) and report what distillation gained.")]
    public bool CompareWithScratch { get; set; }
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Compression.Plugins.Distillation;

/// <summary>Settings of the distill stage.</summary>
public sealed class DistillSettings
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

    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000")]
    public int Epochs { get; set; } = 10;

    [Range(1, 1_000_000, ErrorMessage = "must be at least 1")]
    public int BatchSize { get; set; } = 64;

    [Range(1e-9, 10.0, ErrorMessage = "must be in (0, 10]")]
    public double LearningRate { get; set; } = 1e-3;

    [Description("\"adam\", \"adamw\" or \"sgd\".")]
    public string Optimizer { get; set; } = "adam";

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    public double WeightDecay { get; set; }

    [Description("\"cosine\", \"step\" or \"none\".")]
    public string Schedule { get; set; } = "cosine";

    [Description("Also train the same student from scratch (same epochs and seed) and report what distillation gained.")]
    public bool CompareWithScratch { get; set; }
}

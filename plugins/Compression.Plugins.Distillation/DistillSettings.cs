using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Compression.Models.Training;
using Compression.Plugins.Distillation.Augmentation;
using Compression.Plugins.Distillation.Features;
using Compression.Plugins.Distillation.Initialization;

namespace Compression.Plugins.Distillation;

/// <summary>Settings of the distill stage: the student, the method, and how to train (inherited).</summary>
public sealed class DistillSettings : TrainingSettings
{
    [Description("The student's model spec: {\"input\": [...], \"layers\": [...]}. Required.")]
    public JsonElement? Student { get; set; }

    [Description("The distillation method (see `compress plugins`); \"kd\" is Hinton et al. 2015; \"auto\" tries the candidates of `search` and training without the teacher, and keeps the best on the validation split.")]
    public string Method { get; set; } = "kd";

    [Range(1e-6, 1000.0, ErrorMessage = "must be between 1e-6 and 1000")]
    [Description("Softening temperature T for soft targets.")]
    public double Temperature { get; set; } = 4;

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("Weight of the teacher's soft targets; hard labels get 1 - alpha.")]
    public double Alpha { get; set; } = 0.9;

    [Description("Numbers specific to the chosen method.")]
    public Dictionary<string, double> MethodParameters { get; set; } = [];

    [Description("Also train the same student without the teacher, on the labelled samples only and for the same number of optimisation steps, and report what distillation gained (with its interval).")]
    public bool CompareWithScratch { get; set; }

    [Description("With \"method\": \"auto\": the candidates to compare on the validation split.")]
    public SearchSettings Search { get; set; } = new();

    [Description("Random augmentations of the batches the student sees (all off by default). With \"mixup\", use teacherMode \"online\": offline logits belong to the un-mixed samples.")]
    public AugmentSettings Augment { get; set; } = new();

    [AllowedValues("offline", "online", ErrorMessage = "must be \"offline\" or \"online\"")]
    [Description("\"offline\": teacher logits computed once on the un-augmented samples and cached; \"online\": the teacher runs on the same augmented batch the student sees (Beyer et al. 2022, function matching).")]
    public string TeacherMode { get; set; } = "offline";

    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    [Description("Train the distilled and the scratch student with this many seeds (the pipeline's seed, +1, ...) and report the KD gain's 95% interval from the paired differences; with 1, a paired bootstrap over test samples (evaluation noise only). More than 1 implies compareWithScratch. The shipped student is the one of the pipeline's seed.")]
    public int Repeats { get; set; } = 1;

    [Range(1, 10, ErrorMessage = "must be between 1 and 10")]
    [Description("Born-Again generations (Furlanello et al. 2018): generation 1 learns from the teacher, generation k+1 from generation k (same spec); the last one is shipped and the report shows each.")]
    public int Generations { get; set; } = 1;

    [Description("With \"method\": \"tinybert\": the teacher encoder layer (0-based) each student encoder layer is matched to, in order; empty for TinyBERT's uniform map (student layer m of M to teacher layer m x N / M).")]
    public List<int> LayerMap { get; set; } = [];

    [Description("Where the student's weights start: a seeded random draw, or (\"fromTeacher\") chosen layers of a BERT-family teacher, DistilBERT-style.")]
    public InitSettings Init { get; set; } = new();

    [Description("Where feature-based methods (fitnets, attention, rkd, or a plugin's) read intermediate features: [{\"student\": \"<layer name>\", \"teacher\": \"<layer or ONNX tensor name>\"}]. The first teacher's features are read.")]
    public List<TapSettings> Taps { get; set; } = [];
}

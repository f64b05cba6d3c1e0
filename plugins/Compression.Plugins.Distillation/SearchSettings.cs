using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Distillation;

/// <summary>
/// The candidates of <c>"method": "auto"</c>: every combination of method, temperature and alpha, in
/// the order listed (the stage's own method settings first), cut to <see cref="MaxTrials"/>; training
/// without the teacher is always a candidate on top. Compared on the validation split only.
/// </summary>
public sealed class SearchSettings
{
    [Description("Distillation methods to try (see `compress plugins`); default: \"kd\" and \"dkd\".")]
    public List<string> Methods { get; set; } = ["kd", "dkd"];

    [Description("Temperatures to try.")]
    public List<double> Temperatures { get; set; } = [2, 4];

    [Description("Alphas (weight of the teacher's term) to try.")]
    public List<double> Alphas { get; set; } = [0.5, 0.9];

    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    [Description("Most distillation candidates to train (scratch is trained on top of these).")]
    public int MaxTrials { get; set; } = 4;
}

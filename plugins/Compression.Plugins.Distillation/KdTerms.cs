using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// The two terms of Hinton et al. 2015 as named loss terms: <c>hard</c> = (1 - alpha) * cross entropy over
/// the labelled samples, and <c>soft</c> = alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)),
/// KL averaged over the batch (PyTorch's "batchmean"). The T^2 keeps the soft term's gradients on the
/// same scale as the hard term's when T changes. Feature methods add their terms to these.
/// </summary>
internal static class KdTerms
{
    public static IReadOnlyList<LossTerm> Of(DistillationBatch batch, DistillationOptions options)
    {
        double t = options.Temperature;
        Tensor studentLogProbabilities = nn.functional.log_softmax(batch.StudentLogits.DividedBy(t), 1);
        Tensor teacherLogProbabilities = nn.functional.log_softmax(batch.TeacherLogits.DividedBy(t), 1);
        Tensor kl = (teacherLogProbabilities.exp() * (teacherLogProbabilities - studentLogProbabilities)).sum(1).mean();
        return
        [
            new LossTerm("hard", batch.HardLabelLoss().Times(1 - options.Alpha)),
            new LossTerm("soft", kl.Times(options.Alpha * t * t)),
        ];
    }

    /// <summary>Checks T and alpha as every KD-based method needs them.</summary>
    public static void Validate(DistillationOptions options, List<Abstractions.Stages.SettingsError> errors)
    {
        if (!(options.Temperature > 0) || double.IsInfinity(options.Temperature))
        {
            errors.Add(new Abstractions.Stages.SettingsError("temperature", $"must be a finite number greater than 0, got {options.Temperature}"));
        }
        if (options.Alpha is < 0 or > 1 || double.IsNaN(options.Alpha))
        {
            errors.Add(new Abstractions.Stages.SettingsError("alpha", $"must be in [0, 1], got {options.Alpha}"));
        }
    }
}

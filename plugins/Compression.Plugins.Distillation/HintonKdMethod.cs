using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Knowledge distillation as in Hinton, Vinyals and Dean 2015, "Distilling the Knowledge in a
/// Neural Network": alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) *
/// cross-entropy(student, labels), the cross entropy over the samples that have a label. The T^2 keeps the soft term's gradients on the same scale as the
/// hard term's when T changes. KL is averaged over the batch (PyTorch's "batchmean").
/// </summary>
public sealed class HintonKdMethod : IDistillationMethod
{
    public string Name => "kd";

    public string Description => "Hinton et al. 2015: soft targets at temperature T (KL x T^2) with weight alpha, hard labels with 1 - alpha";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options)
    {
        var errors = new List<SettingsError>();
        if (options.Temperature <= 0)
        {
            errors.Add(new SettingsError("temperature", $"must be greater than 0, got {options.Temperature}"));
        }
        if (options.Alpha is < 0 or > 1)
        {
            errors.Add(new SettingsError("alpha", $"must be in [0, 1], got {options.Alpha}"));
        }
        return errors;
    }

    public Tensor Loss(DistillationBatch batch, DistillationOptions options)
    {
        double t = options.Temperature;
        Tensor studentLogProbabilities = nn.functional.log_softmax(batch.StudentLogits.DividedBy(t), 1);
        Tensor teacherLogProbabilities = nn.functional.log_softmax(batch.TeacherLogits.DividedBy(t), 1);
        Tensor kl = (teacherLogProbabilities.exp() * (teacherLogProbabilities - studentLogProbabilities)).sum(1).mean();
        Tensor hard = batch.HardLabelLoss();
        return kl.Times(options.Alpha * t * t).Plus(hard.Times(1 - options.Alpha));
    }
}

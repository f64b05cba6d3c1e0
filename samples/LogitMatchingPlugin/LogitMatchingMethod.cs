using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace LogitMatchingPlugin;

/// <summary>
/// Logit matching (Ba and Caruana 2014, "Do Deep Nets Really Need to be Deep?"): the student
/// regresses the teacher's logits with mean squared error instead of matching softened
/// probabilities; the hard-label cross entropy keeps weight 1 - alpha.
/// </summary>
public sealed class LogitMatchingMethod : IDistillationMethod
{
    public string Name => "logit-mse";

    public string Description => "Ba & Caruana 2014: MSE between student and teacher logits, plus (1 - alpha) hard-label cross entropy";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) =>
        options.Alpha is < 0 or > 1
            ? [new SettingsError("alpha", $"must be in [0, 1], got {options.Alpha}")]
            : [];

    public Tensor Loss(DistillationBatch batch, DistillationOptions options)
    {
        Tensor soft = nn.functional.mse_loss(batch.StudentLogits, batch.TeacherLogits);
        Tensor hard = batch.HardLabelLoss();
        return soft.Times(options.Alpha).Plus(hard.Times(1 - options.Alpha));
    }
}

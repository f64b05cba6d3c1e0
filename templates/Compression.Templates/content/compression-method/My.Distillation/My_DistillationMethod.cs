using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace My.Distillation;

/// <summary>
/// Selected by <c>"method": "my-distillation-method"</c> in the distill stage's settings. As generated it
/// is Hinton et al. (2015) knowledge distillation, a starting point to replace: alpha * T^2 * KL(teacher
/// || student) on logits softened by T ("soft"), plus (1 - alpha) * the hard-label cross entropy ("hard").
/// A feature-based method also overrides <see cref="Setup"/> to create adapters for the stage's
/// <c>taps</c>, and reads <c>batch.Features</c> and <c>batch.Adapter(name)</c> (docs/plugin-authors.md).
/// </summary>
public sealed class My_DistillationMethod : IDistillationMethod
{
    public string Name => "my-distillation-method";

    public string Description => "Hinton et al. 2015 soft targets plus hard labels (replace with your method)";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options)
    {
        var errors = new List<SettingsError>();
        if (options.Alpha is < 0 or > 1)
        {
            errors.Add(new SettingsError("alpha", $"must be in [0, 1], got {options.Alpha}"));
        }
        if (options.Temperature <= 0)
        {
            errors.Add(new SettingsError("temperature", $"must be greater than 0, got {options.Temperature}"));
        }
        return errors;
    }

    /// <summary>Nothing to create: this method reads no taps. Create adapters here (setup.Adapters) when yours does.</summary>
    public void Setup(DistillationSetup setup)
    {
    }

    public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

    // The stage trains on the sum of the terms and shows each one per epoch in progress and report.md.
    // Numbers enter tensors through ScalarArithmetic (Times, DividedBy, Plus): TorchSharp may free an
    // implicitly converted number while a native call still reads it.
    public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options)
    {
        double t = options.Temperature;
        Tensor studentLogProbabilities = nn.functional.log_softmax(batch.StudentLogits.DividedBy(t), 1);
        Tensor teacherLogProbabilities = nn.functional.log_softmax(batch.TeacherLogits.DividedBy(t), 1);
        // KL(teacher || student) per sample, averaged over the batch; a - b and a * b between tensors are safe.
        Tensor kl = (teacherLogProbabilities.exp() * (teacherLogProbabilities - studentLogProbabilities)).sum(1).mean();
        return [new LossTerm("soft", kl.Times(options.Alpha * t * t)), new LossTerm("hard", batch.HardLabelLoss().Times(1 - options.Alpha))];
    }
}

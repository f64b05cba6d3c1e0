using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Distillation from several teachers (the config's <c>teachers</c>): the soft target is the weighted
/// mean of the teachers' probabilities at temperature T, p = sum_k w_k softmax(z_k / T), and the loss is
/// alpha * T^2 * KL(p || softmax(student / T)) + (1 - alpha) * cross entropy on the labelled samples,
/// as in Hinton et al. 2015's ensemble distillation. Averaging probabilities (not logits) keeps each
/// teacher's confidence; with one teacher this is exactly <c>kd</c>.
/// </summary>
public sealed class MultiTeacherKdMethod : IDistillationMethod
{
    public string Name => "multi-teacher";

    public string Description => "Hinton et al. 2015 ensemble KD: soft targets are the weighted mean of every teacher's probabilities at T";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => new HintonKdMethod().Validate(options);

    public Tensor Loss(DistillationBatch batch, DistillationOptions options)
    {
        double t = options.Temperature;
        Tensor target = SoftTargets(batch, t);
        Tensor studentLogProbabilities = nn.functional.log_softmax(batch.StudentLogits.DividedBy(t), 1);
        Tensor kl = (target * (target.AtLeast(1e-12).log() - studentLogProbabilities)).sum(1).mean();
        return kl.Times(options.Alpha * t * t).Plus(batch.HardLabelLoss().Times(1 - options.Alpha));
    }

    /// <summary>The weighted mean of the teachers' softmax at temperature <paramref name="temperature"/>, [batch, classes].</summary>
    public static Tensor SoftTargets(DistillationBatch batch, double temperature)
    {
        Tensor target = nn.functional.softmax(batch.Teachers[0].DividedBy(temperature), 1).Times(batch.TeacherWeights[0]);
        for (int i = 1; i < batch.Teachers.Count; i++)
        {
            target = target.Plus(nn.functional.softmax(batch.Teachers[i].DividedBy(temperature), 1).Times(batch.TeacherWeights[i]));
        }
        return target;
    }
}

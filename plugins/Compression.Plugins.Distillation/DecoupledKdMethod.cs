using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Plugins.Distillation.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Decoupled Knowledge Distillation, Zhao, Cui, Song, Qiu and Liang, CVPR 2022, "Decoupled Knowledge
/// Distillation", as in its reference implementation (mdistiller's <c>dkd_loss</c>). With
/// p = softmax(z / T) for the teacher's and the student's logits z and t the target class of a sample:
/// <list type="bullet">
/// <item><description>TCKD = KL(b^T || b^S) with b = [p_t, 1 - p_t], the binary target/non-target split;</description></item>
/// <item><description>NCKD = KL(p̂^T || p̂^S) with p̂ = softmax over the non-target classes only
/// (mdistiller: softmax of z / T - 1000 * onehot(t));</description></item>
/// <item><description>both summed over the batch, divided by the batch size and multiplied by T^2.</description></item>
/// </list>
/// The loss is <c>(1 - alpha) * CE + alpha * (a * TCKD + b * NCKD)</c>, where alpha is the stage's
/// <c>alpha</c>, CE is <see cref="DistillationBatch.HardLabelLoss"/> (cross entropy over the samples that
/// have a label), and a and b are <c>methodParameters.alpha</c> (default 1) and
/// <c>methodParameters.beta</c> (default 8, the paper's value for CIFAR-100). With the stage's alpha at
/// 0.5 this is half the paper's CE + a * TCKD + b * NCKD, i.e. the same optimum and gradients up to a
/// factor the learning rate absorbs.
/// <para>
/// The target class is the hard label; a sample without one (<see cref="LabelledData.NoLabel"/>,
/// transfer data) takes the teacher's argmax as its target, so the split into target and non-target
/// classes is always defined. The probabilities of b are kept at least 1e-7 before their logarithm.
/// </para>
/// </summary>
public sealed class DecoupledKdMethod : IDistillationMethod
{
    /// <summary>Key of the TCKD weight a in <c>methodParameters</c>.</summary>
    public const string TckdWeightKey = "alpha";

    /// <summary>Key of the NCKD weight b in <c>methodParameters</c>.</summary>
    public const string NckdWeightKey = "beta";

    /// <summary>Default TCKD weight a (the paper's).</summary>
    public const double DefaultTckdWeight = 1.0;

    /// <summary>Default NCKD weight b (the paper's for CIFAR-100).</summary>
    public const double DefaultNckdWeight = 8.0;

    /// <summary>What mdistiller subtracts from the target logit (already divided by T) to leave it out of p̂.</summary>
    private const double TargetMask = 1000.0;

    /// <summary>The smallest probability of b taken to a logarithm.</summary>
    private const double MinProbability = 1e-7;

    private static readonly Dictionary<string, double> s_defaults = new() { [TckdWeightKey] = DefaultTckdWeight, [NckdWeightKey] = DefaultNckdWeight };

    public string Name => "dkd";

    public string Description => "Zhao et al. 2022 (DKD): target-class (TCKD) and non-target-class (NCKD) KL weighted by methodParameters alpha (1) and beta (8), x T^2, with weight alpha; hard labels with 1 - alpha";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => MethodParameters.Validate(Name, options, s_defaults, needsTaps: false);

    public Tensor Loss(DistillationBatch batch, DistillationOptions options)
    {
        double t = options.Temperature;
        double tckdWeight = MethodParameters.Get(options, s_defaults, TckdWeightKey);
        double nckdWeight = MethodParameters.Get(options, s_defaults, NckdWeightKey);
        Tensor student = batch.StudentLogits.DividedBy(t);
        Tensor teacher = batch.TeacherLogits.detach().DividedBy(t);
        long batchSize = student.shape[0];

        Tensor hasLabel = batch.HasLabel();
        Tensor targets = batch.Labels.where(hasLabel, teacher.argmax(1)).to_type(ScalarType.Int64);
        Tensor isTarget = nn.functional.one_hot(targets, student.shape[1]).to_type(ScalarType.Bool);

        Tensor tckd = BinaryKl(teacher, student, targets, isTarget);
        Tensor masked = isTarget.to_type(student.dtype).Times(TargetMask);
        Tensor teacherNonTarget = nn.functional.log_softmax(teacher - masked, 1);
        Tensor studentNonTarget = nn.functional.log_softmax(student - masked, 1);
        Tensor nckd = (teacherNonTarget.exp() * (teacherNonTarget - studentNonTarget)).sum();

        Tensor soft = tckd.Times(tckdWeight).Plus(nckd.Times(nckdWeight)).Times(t * t / batchSize);
        return soft.Times(options.Alpha).Plus(batch.HardLabelLoss().Times(1 - options.Alpha));
    }

    /// <summary>
    /// Sum over the batch of KL([p_t, 1 - p_t] of the teacher || the same of the student). log p_t comes
    /// from log_softmax and log(1 - p_t) from a logsumexp over the other classes (no 1 - p cancellation);
    /// both are clamped at log(1e-7), which is clamping the probabilities at 1e-7.
    /// </summary>
    private static Tensor BinaryKl(Tensor teacher, Tensor student, Tensor targets, Tensor isTarget)
    {
        double minLog = Math.Log(MinProbability);
        Tensor BinaryLog(Tensor scaledLogits)
        {
            Tensor logProbabilities = nn.functional.log_softmax(scaledLogits, 1);
            Tensor logTarget = logProbabilities.gather(1, targets.unsqueeze(1));
            using Scalar negativeInfinity = double.NegativeInfinity.ToScalar();
            Tensor logOther = logProbabilities.masked_fill(isTarget, negativeInfinity).logsumexp(1, keepdim: true);
            return cat([logTarget, logOther], 1).AtLeast(minLog);
        }
        Tensor teacherLog = BinaryLog(teacher);
        Tensor studentLog = BinaryLog(student);
        return (teacherLog.exp() * (teacherLog - studentLog)).sum();
    }
}

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
        KdTerms.Validate(options, errors);
        return errors;
    }

    public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

    /// <summary><c>hard</c> and <c>soft</c>, see <see cref="KdTerms"/>.</summary>
    public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options) => KdTerms.Of(batch, options);
}

using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>
/// A distillation method: the loss between student and teacher outputs, chosen by name in the
/// distill stage's <c>method</c> setting. Register implementations as <see cref="IDistillationMethod"/>
/// singletons from a plugin's <see cref="Plugins.ICompressionPlugin.Configure"/>.
/// </summary>
public interface IDistillationMethod
{
    /// <summary>Name used in compression.json, e.g. <c>kd</c>; matched case-insensitively.</summary>
    string Name { get; }

    /// <summary>One line for <c>compress plugins</c>.</summary>
    string Description { get; }

    /// <summary>Checks options before anything runs; paths are relative to the distill stage's settings.</summary>
    IReadOnlyList<SettingsError> Validate(DistillationOptions options);

    /// <summary>
    /// Computes the training loss for one batch: a scalar tensor with gradients to the student.
    /// Called inside the trainer's dispose scope; do not keep tensors between calls. Combine tensors
    /// with numbers through <see cref="ScalarArithmetic"/> (<c>kl.Times(alpha)</c>, not <c>kl * alpha</c>):
    /// TorchSharp may free an implicitly converted number while a native call still reads it.
    /// </summary>
    Tensor Loss(DistillationBatch batch, DistillationOptions options);

    /// <summary>
    /// Called once per training run (each seed and candidate), before the first batch, with the taps'
    /// feature shapes: create the run's trainable adapters here through <see cref="DistillationSetup.Adapters"/>.
    /// The method object is shared by runs, so keep no per-run state in it; read adapters back from
    /// <see cref="DistillationBatch.Adapters"/>. The default creates nothing.
    /// </summary>
    void Setup(DistillationSetup setup)
    {
    }

    /// <summary>
    /// The loss of one batch as named terms: the stage trains on their sum (<see cref="LossTerm.Total"/>) and
    /// reports each term's mean per epoch. The default is one term, <c>loss</c>, from <see cref="Loss"/>; a
    /// method with several terms overrides this and implements <see cref="Loss"/> as their total.
    /// </summary>
    IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options) => [new LossTerm("loss", Loss(batch, options))];
}

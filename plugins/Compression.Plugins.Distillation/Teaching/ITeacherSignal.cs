using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Where a training batch's teacher logits (and tapped features) come from: looked up (offline, computed
/// once on the un-augmented rows) or computed on the batch the student sees (online). Times itself, so
/// progress can show the teacher's share of an epoch.
/// </summary>
internal interface ITeacherSignal : IDisposable
{
    /// <summary>The teacher's logits for the batch, [batch, classes], and its tapped features, without gradients.</summary>
    TeacherSignal Outputs(TrainingBatch batch);

    /// <summary>Time spent in <see cref="Outputs"/> so far.</summary>
    TimeSpan Elapsed { get; }
}

/// <summary>A teacher's outputs for one batch.</summary>
/// <param name="Logits">[batch, classes].</param>
/// <param name="Features">The tapped tensors in tap order, [batch, ...shape] each; empty without taps.</param>
internal sealed record TeacherSignal(Tensor Logits, IReadOnlyList<Tensor> Features);

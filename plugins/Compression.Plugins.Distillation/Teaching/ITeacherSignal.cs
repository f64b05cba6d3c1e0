using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Where a training batch's teacher logits come from: looked up (offline, computed once on the
/// un-augmented rows) or computed on the batch the student sees (online). Times itself, so progress
/// can show the teacher's share of an epoch.
/// </summary>
internal interface ITeacherSignal : IDisposable
{
    /// <summary>The teacher's logits for the batch, [batch, classes], without gradients.</summary>
    Tensor Logits(TrainingBatch batch);

    /// <summary>Time spent in <see cref="Logits"/> so far.</summary>
    TimeSpan Elapsed { get; }
}

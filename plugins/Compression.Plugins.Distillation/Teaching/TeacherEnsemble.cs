using Compression.Abstractions.Distillation;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// The teachers of one distillation run with their weights: turns a training batch into the
/// <see cref="DistillationBatch"/> a method sees (every teacher's logits, and their weighted mean as
/// <see cref="DistillationBatch.TeacherLogits"/>), and owns the signals.
/// </summary>
internal sealed class TeacherEnsemble(IReadOnlyList<ITeacherSignal> signals, IReadOnlyList<double> weights) : IDisposable
{
    /// <summary>Time all teachers spent producing logits so far.</summary>
    public TimeSpan Elapsed => signals.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed);

    public DistillationBatch Batch(Tensor studentLogits, TrainingBatch batch)
    {
        Tensor[] logits = signals.Select(s => s.Logits(batch)).ToArray();
        Tensor combined = logits[0].Times(weights[0]);
        for (int i = 1; i < logits.Length; i++)
        {
            combined = combined.Plus(logits[i].Times(weights[i]));
        }
        return new DistillationBatch(studentLogits, logits.Length == 1 ? logits[0] : combined, batch.Labels)
        {
            Teachers = logits,
            TeacherWeights = weights,
        };
    }

    /// <summary>The loss function for the trainer: the method's loss on each batch.</summary>
    public LossFunction Loss(IDistillationMethod method, DistillationOptions options) =>
        (logits, batch) => method.Loss(Batch(logits, batch), options);

    public void Dispose()
    {
        foreach (ITeacherSignal signal in signals)
        {
            signal.Dispose();
        }
    }
}

using Compression.Abstractions.Distillation;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// The teachers of one distillation run with their weights: turns a training batch into the
/// <see cref="DistillationBatch"/> a method sees (every teacher's logits, their weighted mean as
/// <see cref="DistillationBatch.TeacherLogits"/>, and each tap's student and first-teacher features),
/// and owns the signals.
/// </summary>
internal sealed class TeacherEnsemble(IReadOnlyList<ITeacherSignal> signals, IReadOnlyList<double> weights) : IDisposable
{
    /// <summary>Time all teachers spent producing logits so far.</summary>
    public TimeSpan Elapsed => signals.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed);

    public DistillationBatch Batch(Tensor studentLogits, TrainingBatch batch, IReadOnlyList<FeatureTap> taps, IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> adapters)
    {
        TeacherSignal[] outputs = signals.Select(s => s.Outputs(batch)).ToArray();
        Tensor[] logits = outputs.Select(o => o.Logits).ToArray();
        return DistillationBatch.OfTeachers(studentLogits, logits, weights, batch.Labels) with
        {
            Features = taps.Select((tap, i) => new TappedFeatures(tap, batch.Features[tap.Student], outputs[0].Features[i])).ToArray(),
            Adapters = adapters,
        };
    }

    /// <summary>
    /// The loss function for the trainer: the sum of the method's terms on each batch, each term's value
    /// recorded for progress and the report.
    /// </summary>
    public LossFunction Loss(IDistillationMethod method, DistillationOptions options, IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> adapters) =>
        (logits, batch) =>
        {
            IReadOnlyList<LossTerm> terms = method.LossTerms(Batch(logits, batch, options.Taps, adapters), options);
            if (terms.Count == 0)
            {
                throw new InvalidOperationException($"distillation method '{method.Name}' returned no loss terms");
            }
            foreach (LossTerm term in terms)
            {
                batch.Terms?.Add(term.Name, term.Value.item<float>());
            }
            return LossTerm.Total(terms);
        };

    public void Dispose()
    {
        foreach (ITeacherSignal signal in signals)
        {
            signal.Dispose();
        }
    }
}

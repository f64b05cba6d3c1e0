using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Pruning;
using Compression.Models.Training;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Unstructured magnitude pruning in rounds (Zhu and Gupta 2017): each round raises the sparsity along
/// the cubic ramp, recomputes the masks from the current weights (pruned ones are zero, so they stay
/// pruned), and fine-tunes with the masks re-applied before every step.
/// </summary>
internal sealed class UnstructuredPruning(StageContext context, PruneSettings settings, FineTuner tuner, CancellationToken cancellationToken)
{
    public List<RoundOutcome> Rounds { get; } = [];

    /// <summary>Per masked layer after the last round: weights and zeros.</summary>
    public IReadOnlyList<(string Layer, long Weights, long Zeros)> Layers { get; private set; } = [];

    public double Sparsity { get; private set; }

    /// <summary>Prunes <paramref name="model"/> in place.</summary>
    public void Run(SequentialModel model)
    {
        double final = settings.TargetSparsity!.Value;
        for (int round = 1; round <= settings.Steps; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double sparsity = SparsitySchedule.Sparsity(final, round, settings.Steps);
            using WeightMasks masks = WeightMasks.Compute(model, sparsity, settings.Scope == "global", settings.Exclude);
            masks.Apply();
            double validationPruned = ModelEvaluator.Accuracy(model, context.Data.Validation);
            string target = string.Create(CultureInfo.InvariantCulture, $"sparsity {sparsity:0.###}");
            string label = string.Create(CultureInfo.InvariantCulture, $"prune round {round}/{settings.Steps} ({target})");
            context.Progress.Report(new StageProgress($"{label}: val acc {validationPruned:0.0000} before fine-tuning", (round - 1.0) / settings.Steps));
            if (settings.FineTuneEpochs > 0)
            {
                tuner.Train(model, context.Seed + round, label, masks.Apply);
            }
            double validationTuned = settings.FineTuneEpochs > 0 ? ModelEvaluator.Accuracy(model, context.Data.Validation) : validationPruned;
            Rounds.Add(new RoundOutcome(round, target, SpecCost.Flops(model.Spec), model.ParameterCount, validationPruned, validationTuned));
            Layers = masks.Sparsities();
            Sparsity = masks.Sparsity;
        }
    }
}

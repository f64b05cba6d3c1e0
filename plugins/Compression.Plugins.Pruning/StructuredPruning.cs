using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Structured pruning in rounds: measure importance, remove the least important channels of every
/// prunable group until the round's target (a step of the cubic ramp towards the final one) is met,
/// fine-tune, repeat. Targets are relative to the unpruned model throughout.
/// </summary>
internal sealed class StructuredPruning(StageContext context, PruneSettings settings, FineTuner tuner, CancellationToken cancellationToken)
{
    public List<RoundOutcome> Rounds { get; } = [];

    /// <summary>Groups that had no batchnorm when the criterion is bn-scale (scored by L1).</summary>
    private readonly HashSet<string> _fellBack = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks the final targets on the unpruned model before anything trains: per-layer shares that
    /// would leave no channel, layers that cannot be pruned, and a FLOPs/params target out of reach.
    /// </summary>
    public void Check(SequentialModel original)
    {
        ChannelGraph graph = ChannelGraph.Of(original.Spec, settings.Exclude);
        var scores = graph.Groups.Where(g => g.Prunable).ToDictionary(g => g.Id, g => new double[g.Channels]);
        Allocate(original.Spec, original.Spec, graph, scores, settings.Steps);
    }

    /// <summary>Runs every round on <paramref name="original"/> (left as it is); returns the pruned, fine-tuned model.</summary>
    public SequentialModel Run(SequentialModel original)
    {
        SequentialModel current = original;
        for (int round = 1; round <= settings.Steps; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ChannelGraph graph = ChannelGraph.Of(current.Spec, settings.Exclude);
            IReadOnlyDictionary<int, double[]> scores = Importance(current, graph);
            (ChannelSelection selection, string target) = Allocate(original.Spec, current.Spec, graph, scores, round);
            SequentialModel pruned = ChannelPruner.Prune(current, graph, selection);
            if (!ReferenceEquals(current, original))
            {
                current.Dispose();
            }
            current = pruned;
            double validationPruned = ModelEvaluator.Accuracy(current, context.Data.Validation);
            string label = string.Create(CultureInfo.InvariantCulture, $"prune round {round}/{settings.Steps} ({target})");
            context.Progress.Report(new StageProgress(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {SpecCost.Flops(current.Spec):N0} multiply-adds, {current.ParameterCount:N0} parameters, val acc {validationPruned:0.0000} before fine-tuning"),
                (round - 1.0) / settings.Steps));
            if (settings.FineTuneEpochs > 0)
            {
                tuner.Train(current, context.Seed + round, label, null);
            }
            double validationTuned = settings.FineTuneEpochs > 0 ? ModelEvaluator.Accuracy(current, context.Data.Validation) : validationPruned;
            Rounds.Add(new RoundOutcome(round, target, SpecCost.Flops(current.Spec), current.ParameterCount, validationPruned, validationTuned));
        }
        return current;
    }

    /// <summary>Per layer of the original: channels before and after, and how they were chosen.</summary>
    public List<LayerRow> Table(ModelSpec original, ModelSpec pruned)
    {
        ChannelGraph graph = ChannelGraph.Of(original, settings.Exclude);
        var rows = new List<(LayerPath Path, LayerRow Row)>();
        foreach (ChannelGroup group in graph.Groups)
        {
            foreach (ChannelMember member in group.Members.Where(m => m.Role is MemberRole.Output or MemberRole.Depthwise))
            {
                LayerSpec before = member.Layer.In(original);
                LayerSpec after = member.Layer.In(pruned);
                string how = group.FixedReason is string reason ? $"kept: {reason}"
                    : group.Channels == 1 ? "kept: one channel"
                    : member.Role == MemberRole.Depthwise ? "follows its input (depthwise)"
                    : CriterionOf(member.Layer.ToString());
                string kind = member.Role == MemberRole.Depthwise ? $"{before.Type.Name} (depthwise)" : before.Type.Name;
                rows.Add((member.Layer, new LayerRow(member.Layer.Describe(original), kind, before.OutputWidth ?? group.Channels, after.OutputWidth ?? group.Channels, how)));
            }
        }
        // In the order of the spec: by index, then by index inside a residual body.
        return rows.OrderBy(r => string.Concat(r.Path.Indices.Select(i => i.ToString("D6", CultureInfo.InvariantCulture))), StringComparer.Ordinal).Select(r => r.Row).ToList();
    }

    private string CriterionOf(string layerPath) => settings.Criterion == "bn-scale" && _fellBack.Contains(layerPath) ? "l1 (no batchnorm)" : settings.Criterion;

    private IReadOnlyDictionary<int, double[]> Importance(SequentialModel model, ChannelGraph graph)
    {
        ImportanceCriterion criterion = settings.Criterion switch
        {
            "l2" => ImportanceCriterion.L2,
            "bn-scale" => ImportanceCriterion.BatchNormScale,
            "taylor" => ImportanceCriterion.Taylor,
            _ => ImportanceCriterion.L1,
        };
        if (criterion != ImportanceCriterion.Taylor)
        {
            var fellBack = new HashSet<int>();
            var scores = ChannelImportance.Magnitude(model, graph, criterion, fellBack);
            foreach (ChannelGroup group in graph.Groups.Where(g => fellBack.Contains(g.Id)))
            {
                _fellBack.UnionWith(group.Producers.Select(p => p.ToString()));
            }
            return scores;
        }
        var taylor = new TaylorImportance(model, graph);
        model.eval();
        var order = Compression.Data.Batching.Batches.Shuffled(tuner.Rows.Count, settings.BatchSize, context.Seed, 0);
        foreach (ReadOnlyMemory<int> rows in order.Take(settings.TaylorBatches))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (features, labels) = Gather(tuner.Rows, rows.Span);
            model.zero_grad();
            Tensor loss = tuner.Loss(model.forward(features), new TrainingBatch(features, labels, rows.ToArray().Select(r => (long)r).ToArray(), 0));
            loss.backward();
            taylor.Accumulate();
        }
        model.zero_grad();
        return taylor.Scores;
    }

    /// <summary>The selection of round <paramref name="round"/>: the ramp's share of the way from the original to the final target.</summary>
    private (ChannelSelection Selection, string Target) Allocate(ModelSpec original, ModelSpec current, ChannelGraph graph, IReadOnlyDictionary<int, double[]> scores, int round)
    {
        double progress = SparsitySchedule.Progress(round, settings.Steps);
        var keep = new Dictionary<int, int>();
        foreach (var (name, share) in settings.Layers)
        {
            LayerPath path = PathOf(original, name) ?? throw new StageException($"no layer is named '{name}' in the model to prune", $"layers.{name}");
            ChannelGroup group = graph.Groups.FirstOrDefault(g => g.Members.Any(m => m.Layer.Equals(path) && m.Role is MemberRole.Output or MemberRole.Depthwise or MemberRole.Norm))
                ?? throw new StageException($"layer '{name}' has no channels of its own to prune (only conv2d, linear, batchnorm and depthwise layers do)", $"layers.{name}");
            if (!group.Prunable)
            {
                throw new StageException($"layer '{name}' cannot be pruned: {group.FixedReason ?? "it has one channel"}", $"layers.{name}");
            }
            int channels = path.In(original).OutputWidth ?? group.Channels;
            int final = (int)Math.Round(channels * share, MidpointRounding.AwayFromZero);
            if (final < 1)
            {
                throw new StageException(string.Create(CultureInfo.InvariantCulture,
                    $"keeping {share} of layer '{name}''s {channels} channels leaves {channels * share:0.##}, which rounds to none: a layer keeps at least one channel (use at least {1.0 / channels:0.###})"), $"layers.{name}");
            }
            int now = (int)Math.Round(channels - ((channels - final) * progress), MidpointRounding.AwayFromZero);
            keep[group.Id] = Math.Clamp(now, 1, group.Channels);
        }
        (string measure, double? ratio, string field) = settings.TargetParamsRatio is double p
            ? ("params", (double?)p, "targetParamsRatio")
            : ("flops", settings.TargetFlopsRatio, "targetFlopsRatio");
        double? roundRatio = ratio is double r ? 1 - ((1 - r) * progress) : null;
        var target = new PruningTarget(measure, roundRatio, measure == "params" ? SpecCost.Parameters(original) : SpecCost.Flops(original), keep) { RoundTo = settings.RoundTo };
        try
        {
            string description = roundRatio is double rr
                ? string.Create(CultureInfo.InvariantCulture, $"{measure} <= {rr:0.###} of the original")
                : string.Create(CultureInfo.InvariantCulture, $"{progress:0.###} of the way to the layer shares");
            return (ChannelAllocator.Allocate(current, graph, scores, target), description);
        }
        catch (PruningTargetException ex)
        {
            throw new StageException(ex.Message, field);
        }
    }

    private static LayerPath? PathOf(ModelSpec spec, string name)
    {
        LayerPath? Find(IReadOnlyList<LayerSpec> layers, Func<int, LayerPath> pathOf)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i].Name == name)
                {
                    return pathOf(i);
                }
                if (Find(layers[i].Body, pathOf(i).Child) is LayerPath inner)
                {
                    return inner;
                }
            }
            return null;
        }
        return Find(spec.Layers, LayerPath.Top);
    }

    /// <summary>The features [batch, ...shape] and labels [batch] (int64) of <paramref name="rows"/>.</summary>
    private static (Tensor Features, Tensor Labels) Gather(Compression.Abstractions.Data.LabelledData data, ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * data.SampleSize];
        var labels = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            data.Rows(rows[i], 1).CopyTo(features.AsSpan(i * data.SampleSize, data.SampleSize));
            labels[i] = data.Labels[rows[i]];
        }
        return (tensor(features, [rows.Length, .. data.SampleShape.Select(d => (long)d)]), tensor(labels));
    }

    /// <summary>Whether <paramref name="spec"/> has a layer named <paramref name="name"/>.</summary>
    public static bool HasLayer(ModelSpec spec, string name) => PathOf(spec, name) is not null;
}

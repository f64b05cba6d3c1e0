using System.Globalization;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Models.GraphPruning;
using Compression.Models.Import;
using Compression.Models.Pruning;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Structured pruning of an ONNX graph (the app's model): in each round the graph's channel groups are
/// found (<see cref="GraphChannels"/>), scored, cut to the round's point on the cubic ramp towards the
/// target (measured on the edited graph), and the pruned graph is imported as a TorchSharp module,
/// fine-tuned with the stage's distillation settings against the unpruned model's logits (the host's
/// cached teacher logits: the app's model is the pipeline's teacher) and exported back. The result is
/// an ONNX model, which quantize, calibrate and benchmark take next.
/// </summary>
internal static class GraphPruningRun
{
    public static StageResult Run(StageContext context, PruneSettings settings, string sourcePath, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(sourcePath);
        if (settings.Mode != "structured")
        {
            throw new StageException($"unstructured pruning of an ONNX model ({name}) is not supported: ONNX Runtime multiplies a zero as fast as any weight, so it would buy neither size nor speed; use \"mode\": \"structured\" (or quantize)", "mode");
        }
        if (settings.Criterion == "taylor")
        {
            throw new StageException($"criterion \"taylor\" is not available for an ONNX model ({name}): its importance needs gradients through the graph; use \"l1\", \"l2\" or \"bn-scale\"", "criterion");
        }
        ModelProto original = OnnxModelFile.Read(sourcePath);
        GraphChannels channels = Analyse(original, settings, name);
        if (settings.FineTuneEpochs > 0)
        {
            CheckTrainable(original, name);
        }
        using var tuner = new FineTuner(context, settings, cancellationToken);
        var before = new MeasuredModel(sourcePath, Cost(original, "flops", settings), OnnxModelInfo.CountParameters(original), Correct(sourcePath, context.Data.Test, context.Data.ClassCount, cancellationToken));
        var report = new PruneReport(context, settings, $"the app's model '{name}' (its ONNX graph)", tuner.Description, before, "in ONNX Runtime", cancellationToken);
        var rounds = new List<RoundOutcome>();
        ModelProto current = original;
        string roundPath = Path.Combine(PruneReport.CompareFolder(context), "round.onnx");
        for (int round = 1; round <= settings.Steps; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GraphChannels groups = GraphChannels.Of(current, settings.Exclude);
            ImportanceCriterion criterion = settings.Criterion switch
            {
                "l2" => ImportanceCriterion.L2,
                "bn-scale" => ImportanceCriterion.BatchNormScale,
                _ => ImportanceCriterion.L1,
            };
            var scores = GraphImportance.Scores(current, groups, criterion, null);
            (PruningTarget target, string description) = Target(original, channels, groups, settings, round);
            IReadOnlyDictionary<int, int[]> kept;
            try
            {
                kept = GraphChannelAllocator.Allocate(current, groups, scores, target);
            }
            catch (PruningTargetException ex)
            {
                throw new StageException($"{name}: {ex.Message}", settings.TargetParamsRatio is null ? "targetFlopsRatio" : "targetParamsRatio");
            }
            current = GraphPruner.Prune(current, groups, kept);
            double validationPruned = Accuracy(current, roundPath, context.Data.Validation, context.Data.ClassCount, cancellationToken);
            string label = string.Create(CultureInfo.InvariantCulture, $"prune round {round}/{settings.Steps} ({description})");
            long flops = Cost(current, "flops", settings);
            long parameters = OnnxModelInfo.CountParameters(current);
            context.Progress.Report(new StageProgress(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {flops:N0} multiply-adds, {parameters:N0} parameters, val acc {validationPruned:0.0000} before fine-tuning"), (round - 1.0) / settings.Steps));
            double validationTuned = validationPruned;
            if (settings.FineTuneEpochs > 0)
            {
                current = FineTune(current, tuner, context.Seed + round, label);
                validationTuned = Accuracy(current, roundPath, context.Data.Validation, context.Data.ClassCount, cancellationToken);
            }
            rounds.Add(new RoundOutcome(round, description, flops, parameters, validationPruned, validationTuned));
        }
        File.Delete(roundPath);
        string output = Path.Combine(context.OutputDirectory, "model.onnx");
        OnnxModelFile.Write(current, output);
        var after = new MeasuredModel(output, Cost(current, "flops", settings), OnnxModelInfo.CountParameters(current), Correct(output, context.Data.Test, context.Data.ClassCount, cancellationToken));
        return report.Structured(new Artifact(ArtifactKind.OnnxModel, output), after, rounds, Table(channels, GraphChannels.Of(current, settings.Exclude), original, settings),
            "Removed channels are gone from the graph (smaller weights, the same nodes), not masked." + (settings.FineTuneEpochs > 0 ? " Each round's pruned graph was fine-tuned as a TorchSharp module imported from it and exported back." : ""));
    }

    /// <summary>The unpruned graph's groups, with the names in exclude and layers checked against its nodes.</summary>
    private static GraphChannels Analyse(ModelProto original, PruneSettings settings, string name)
    {
        GraphChannels channels;
        try
        {
            channels = GraphChannels.Of(original, settings.Exclude);
        }
        catch (OnnxImportException ex)
        {
            throw new StageException($"{name} cannot be pruned: {ex.Message}");
        }
        string Known() => string.Join(", ", channels.Producers.Take(12).Select(p => $"'{p}'")) + (channels.Producers.Count() > 12 ? ", ..." : "");
        for (int i = 0; i < settings.Exclude.Count; i++)
        {
            if (channels.GroupOf(settings.Exclude[i]) is null)
            {
                throw new StageException($"no Conv, Gemm or MatMul node of {name} is named '{settings.Exclude[i]}'; the nodes whose channels can be pruned are {Known()}", $"exclude[{i}]");
            }
        }
        foreach (string node in settings.Layers.Keys)
        {
            if (channels.GroupOf(node) is not GraphChannelGroup group)
            {
                throw new StageException($"no Conv, Gemm or MatMul node of {name} is named '{node}'; the nodes whose channels can be pruned are {Known()}", $"layers.{node}");
            }
            if (!group.Prunable)
            {
                throw new StageException($"node '{node}' of {name} cannot be pruned: {group.FixedReason ?? "it has one channel"}", $"layers.{node}");
            }
        }
        return channels;
    }

    /// <summary>Refuses, before anything is pruned, a graph the importer cannot train, naming the op and the node.</summary>
    private static void CheckTrainable(ModelProto original, string name)
    {
        try
        {
            using var module = new OnnxGraphModule(original);
        }
        catch (UnsupportedOnnxOperatorException ex)
        {
            throw new StageException($"{name} cannot be fine-tuned after pruning: {ex.Message} (op '{ex.OpType}', node '{ex.NodeName}'); \"fineTuneEpochs\": 0 prunes without fine-tuning", "fineTuneEpochs");
        }
        catch (OnnxImportException ex)
        {
            throw new StageException($"{name} cannot be fine-tuned after pruning: {ex.Message}", "fineTuneEpochs");
        }
    }

    private static (PruningTarget Target, string Description) Target(ModelProto original, GraphChannels originalGroups, GraphChannels current, PruneSettings settings, int round)
    {
        double progress = SparsitySchedule.Progress(round, settings.Steps);
        var keep = new Dictionary<int, int>();
        foreach (var (node, share) in settings.Layers)
        {
            int channels = originalGroups.GroupOf(node)!.Channels;
            int final = Math.Max(1, (int)Math.Round(channels * share, MidpointRounding.AwayFromZero));
            int now = (int)Math.Round(channels - ((channels - final) * progress), MidpointRounding.AwayFromZero);
            GraphChannelGroup group = current.GroupOf(node)!;
            keep[group.Id] = Math.Clamp(now, 1, group.Channels);
        }
        (string measure, double? ratio) = settings.TargetParamsRatio is double p ? ("params", (double?)p) : ("flops", settings.TargetFlopsRatio);
        double? roundRatio = ratio is double r ? 1 - ((1 - r) * progress) : null;
        var target = new PruningTarget(measure, roundRatio, Cost(original, measure, settings), keep) { RoundTo = settings.RoundTo };
        string description = roundRatio is double rr
            ? string.Create(CultureInfo.InvariantCulture, $"{measure} <= {rr:0.###} of the original")
            : string.Create(CultureInfo.InvariantCulture, $"{progress:0.###} of the way to the layer shares");
        return (target, description);
    }

    private static long Cost(ModelProto model, string measure, PruneSettings settings)
    {
        try
        {
            return GraphCost.Of(model, measure);
        }
        catch (PruningTargetException ex)
        {
            throw new StageException(ex.Message, settings.TargetFlopsRatio is null ? null : "targetFlopsRatio");
        }
    }

    /// <summary>Imports <paramref name="model"/>, fine-tunes it and exports it back.</summary>
    private static ModelProto FineTune(ModelProto model, FineTuner tuner, int seed, string label)
    {
        using var module = new OnnxGraphModule(model);
        using var shaped = new GraphInputShape(module, model.Graph.Input.First(i => model.Graph.Initializer.All(t => t.Name != i.Name)));
        tuner.Train(shaped, seed, label, null);
        module.eval();
        return OnnxGraphExporter.ToModel(module);
    }

    private static double Accuracy(ModelProto model, string path, LabelledData data, int classCount, CancellationToken cancellationToken)
    {
        OnnxModelFile.Write(model, path);
        bool[] correct = Correct(path, data, classCount, cancellationToken);
        return correct.Length == 0 ? 0 : (double)correct.Count(c => c) / correct.Length;
    }

    private static bool[] Correct(string path, LabelledData data, int classCount, CancellationToken cancellationToken) =>
        data.Count == 0 ? [] : ClassifierEvaluator.Correct(ClassifierEvaluator.Logits(path, data, classCount, cancellationToken, intraOpThreads: 1), data.Labels, classCount);

    /// <summary>Per Conv, Gemm or MatMul node of the original graph: channels before and after, and how they were chosen.</summary>
    private static List<LayerRow> Table(GraphChannels before, GraphChannels after, ModelProto original, PruneSettings settings)
    {
        var rows = new List<LayerRow>();
        foreach (NodeProto node in original.Graph.Node)
        {
            string name = GraphChannels.NameOf(node);
            if (before.GroupOf(name) is not GraphChannelGroup group)
            {
                continue;
            }
            int remaining = after.GroupOf(name)?.Channels ?? group.Channels;
            string how = group.FixedReason is string reason ? $"kept: {reason}"
                : group.Channels == 1 ? "kept: one channel"
                : settings.Layers.ContainsKey(name) ? $"{settings.Criterion}, share {settings.Layers[name].ToString(CultureInfo.InvariantCulture)}"
                : group.Producers.Count > 1 ? $"{settings.Criterion}, shared with {string.Join(", ", group.Producers.Where(p => p != name))}"
                : settings.Criterion;
            rows.Add(new LayerRow(name, node.OpType, group.Channels, remaining, how));
        }
        return rows;
    }
}

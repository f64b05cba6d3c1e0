using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Pruning;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Prunes the model of the stage before (or the spec-trained teacher when it comes first) and
/// fine-tunes it with the teachers: structured pruning removes whole channels, so the exported model
/// is smaller and faster; unstructured pruning zeroes single weights and says honestly what that buys.
/// </summary>
public sealed class PruneStage : Stage<PruneSettings>
{
    public override string Name => "prune";

    public override string Description => "Remove conv channels and linear units (structured: smaller and faster) or zero small weights (unstructured), in rounds with fine-tuning from the teachers; given the app's ONNX model, prunes its graph and makes an ONNX model";

    // Nothing is required: as the first stage, prune takes the teacher the pipeline trained from its spec.
    public override IReadOnlyList<ArtifactKind> Consumes => [];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.TorchModel];

    protected override IEnumerable<SettingsError> Validate(PruneSettings settings, IServiceProvider services)
    {
        bool structured = settings.Mode == "structured";
        if (structured)
        {
            if (settings.TargetFlopsRatio is null && settings.TargetParamsRatio is null && settings.Layers.Count == 0)
            {
                yield return new SettingsError("targetFlopsRatio", "structured pruning needs a target: \"targetFlopsRatio\" or \"targetParamsRatio\" (a share of the unpruned model in (0, 1)) or per-layer shares in \"layers\"");
            }
            if (settings.TargetFlopsRatio is not null && settings.TargetParamsRatio is not null)
            {
                yield return new SettingsError("targetParamsRatio", "give \"targetFlopsRatio\" or \"targetParamsRatio\", not both");
            }
            foreach (var (name, share) in settings.Layers)
            {
                if (share is <= 0 or >= 1 || double.IsNaN(share))
                {
                    yield return new SettingsError($"layers.{name}", $"must be in (0, 1): the share of the layer's channels to keep, got {share}");
                }
            }
            if (settings.TargetSparsity is not null)
            {
                yield return new SettingsError("targetSparsity", "applies to \"mode\": \"unstructured\"; structured pruning takes targetFlopsRatio, targetParamsRatio or layers");
            }
        }
        else
        {
            if (settings.TargetSparsity is null)
            {
                yield return new SettingsError("targetSparsity", "unstructured pruning needs \"targetSparsity\": the share of weights to zero, in (0, 1), e.g. 0.9");
            }
            foreach (var (field, set) in new[] { ("targetFlopsRatio", settings.TargetFlopsRatio is not null), ("targetParamsRatio", settings.TargetParamsRatio is not null), ("layers", settings.Layers.Count > 0) })
            {
                if (set)
                {
                    yield return new SettingsError(field, "applies to \"mode\": \"structured\": unstructured pruning removes no channel, so FLOPs and parameters stay; give \"targetSparsity\"");
                }
            }
            if (settings.RoundTo != 1)
            {
                yield return new SettingsError("roundTo", "applies to \"mode\": \"structured\": unstructured pruning keeps every channel");
            }
            if (settings.Criterion != "l1")
            {
                yield return new SettingsError("criterion", "applies to \"mode\": \"structured\"; unstructured pruning ranks single weights by magnitude");
            }
        }
        if (string.Equals(settings.Method, FineTuner.NoMethod, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }
        var methods = DistillationMethodCatalog.From(services);
        IDistillationMethod? method = methods.Find(settings.Method);
        if (method is null)
        {
            yield return new SettingsError("method", methods.UnknownMethodMessage(settings.Method, $"\"{FineTuner.NoMethod}\" (hard labels only)"));
            yield break;
        }
        foreach (SettingsError error in method.Validate(new DistillationOptions(settings.Temperature, settings.Alpha, settings.MethodParameters)))
        {
            yield return error;
        }
    }

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(PruneSettings settings) => PruneMetrics.For(settings);

    protected override Task<StageResult> RunAsync(StageContext context, PruneSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    /// <summary>
    /// Given an ONNX model and no torch model (the pipeline starts from the app's <c>model.onnx</c>), prune
    /// prunes that graph and makes an ONNX model for quantize, calibrate and benchmark to take next;
    /// otherwise it makes a torch model, as <see cref="Produces"/> says.
    /// </summary>
    public override IReadOnlyList<ArtifactKind> ProducesFrom(IReadOnlySet<ArtifactKind> available) =>
        ModelSource.IsGraph(available) ? [ArtifactKind.OnnxModel] : Produces;

    private static StageResult Run(StageContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        if (ModelSource.IsGraph(context.Inputs.Keys.ToHashSet()))
        {
            return GraphPruningRun.Run(context, settings, context.Input(ArtifactKind.OnnxModel).Path, cancellationToken);
        }
        (SequentialModel original, string source) = ModelSource.Load(context);
        using (original)
        {
            ModelSource.CheckFits(original.Spec, context.Data);
            for (int i = 0; i < settings.Exclude.Count; i++)
            {
                if (!StructuredPruning.HasLayer(original.Spec, settings.Exclude[i]))
                {
                    throw new StageException($"no layer is named '{settings.Exclude[i]}' in the model to prune ({source}); names are the \"name\" fields of its spec", $"exclude[{i}]");
                }
            }
            using var tuner = new FineTuner(context, settings, cancellationToken);
            var report = PruneReport.ForModel(context, settings, source, tuner.Description, original, cancellationToken);
            if (settings.Mode == "structured")
            {
                var pruning = new StructuredPruning(context, settings, tuner, cancellationToken);
                pruning.Check(original);
                using SequentialModel pruned = pruning.Run(original);
                return report.Structured(Save(pruned, context), PruneReport.Measure(pruned, context, "pruned.onnx"), pruning.Rounds, pruning.Table(original.Spec, pruned.Spec), "Removed channels are gone from the model (fewer `out` in its spec), not masked.");
            }
            var sparse = new UnstructuredPruning(context, settings, tuner, cancellationToken);
            sparse.Run(original);
            return report.Unstructured(Save(original, context), PruneReport.Measure(original, context, "pruned.onnx"), sparse.Rounds, sparse.Layers, sparse.Sparsity);
        }
    }

    private static Artifact Save(SequentialModel model, StageContext context)
    {
        string directory = Path.Combine(context.OutputDirectory, "student");
        TorchModelArtifact.Save(model, directory);
        return new Artifact(ArtifactKind.TorchModel, directory);
    }
}

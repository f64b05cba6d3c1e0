using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Data;
using Compression.Abstractions.Diagnostics;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Models;
using Compression.Plugins.Distillation.Augmentation;
using Compression.Plugins.Distillation.Features;
using Compression.Plugins.Distillation.Initialization;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Trains the student spec against the teacher's logits with the chosen distillation method, and
/// optionally the same student from scratch with the same epochs and seed, to measure the gain.
/// </summary>
public sealed class DistillStage : Stage<DistillSettings>
{
    public override string Name => "distill";

    public override string Description => "Train a small student from the teachers' soft targets on labelled and unlabelled data (kd, dkd, multi-teacher, auto, or a plugin's method), with the gain over scratch and its interval";

    public override IReadOnlyList<ArtifactKind> Consumes => [];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.TorchModel];

    protected override IEnumerable<SettingsError> Validate(DistillSettings settings, IServiceProvider services)
    {
        if (settings.Student is null)
        {
            yield return new SettingsError("student", "is required: the student's model spec {\"input\": [...], \"layers\": [...]}");
        }
        else if (TryParse(settings.Student.Value) is SettingsError specError)
        {
            yield return specError;
        }
        else
        {
            // The student's input is the data's sample shape (checked when the stage runs), so the
            // augmentations can be checked against it before anything trains.
            ModelSpec student = ModelSpec.Parse(settings.Student.Value, "student");
            foreach (SettingsError error in Augmenter.Validate(settings.Augment, student.Input))
            {
                yield return error;
            }
            foreach (SettingsError error in FeatureTaps.Validate(settings, student))
            {
                yield return error;
            }
            foreach (SettingsError error in TeacherInitialization.Validate(settings, student))
            {
                yield return error;
            }
            if (services.GetService<IMemoryBudget>() is IMemoryBudget budget
                && MemoryEstimate.Check(student, settings.BatchSize, budget.Bytes, budget.Source, "student", out string layerPath) is string tooLarge)
            {
                yield return new SettingsError(layerPath, tooLarge) { Code = ErrorCodes.ModelTooLargeForMemory };
            }
        }
        if (settings.Augment.Mixup > 0 && settings.TeacherMode != "online")
        {
            yield return new SettingsError("augment.mixup",
                "needs \"teacherMode\": \"online\": a mixed sample has no label, and offline teacher logits belong to the un-mixed samples");
        }
        if (services.GetService<IPipelineTask>() is IPipelineTask task && TaskMismatch(settings, task.Name) is string mismatch)
        {
            yield return new SettingsError("method", mismatch);
            yield break;
        }
        if (EmbeddingDistillation.Applies(settings))
        {
            ModelSpec? parsed = settings.Student is JsonElement json && TryParse(json) is null ? ModelSpec.Parse(json, "student") : null;
            foreach (SettingsError error in EmbeddingDistillation.Validate(settings, parsed))
            {
                yield return error;
            }
            yield break;
        }
        var methods = DistillationMethodCatalog.From(services);
        if (string.Equals(settings.Method, CandidateSearch.Auto, StringComparison.OrdinalIgnoreCase))
        {
            foreach (SettingsError error in CandidateSearch.Validate(settings, methods))
            {
                yield return error;
            }
            yield break;
        }
        IDistillationMethod? method = methods.Find(settings.Method);
        if (method is null)
        {
            yield return new SettingsError("method", methods.UnknownMethodMessage(settings.Method, $"\"{CandidateSearch.Auto}\""));
        }
        else
        {
            foreach (SettingsError error in method.Validate(Options(settings)))
            {
                yield return error;
            }
        }
    }

    /// <summary>Why the method cannot serve the config's task, or null when it can.</summary>
    private static string? TaskMismatch(DistillSettings settings, string task)
    {
        bool embeddingTask = string.Equals(task, EmbeddingDistillation.Method, StringComparison.OrdinalIgnoreCase);
        if (embeddingTask == EmbeddingDistillation.Applies(settings))
        {
            return null;
        }
        return embeddingTask
            ? $"\"method\": \"{settings.Method}\" distils class logits, but the task is \"embedding\" (the teacher gives sentence embeddings and the data has no classes): use \"method\": \"{EmbeddingDistillation.Method}\" or \"{EmbeddingDistillation.TinyBertMethod}\""
            : $"\"method\": \"{settings.Method}\" distils a sentence encoder's embeddings, but the task is \"{task}\": set \"task\": \"embedding\" with a \"sentenceEncoder\" teacher, or choose a method for classification";
    }

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(DistillSettings settings) => DistillMetrics.For(settings);

    protected override Task<StageResult> RunAsync(StageContext context, DistillSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    private static StageResult Run(StageContext context, DistillSettings settings, CancellationToken cancellationToken)
    {
        if (TaskMismatch(settings, context.Task) is string mismatch)
        {
            throw new StageException(mismatch, "method");
        }
        if (string.Equals(context.Task, EmbeddingDistillation.Method, StringComparison.OrdinalIgnoreCase))
        {
            return EmbeddingDistillation.Run(context, settings, cancellationToken);
        }
        ModelSpec spec = ModelSpec.Parse(settings.Student!.Value, "student");
        DataSplits data = context.Data;
        CheckFits(spec, data);
        LabelledData trainingSet = DistillationRows.Of(data);
        IReadOnlyList<float[]>? offline = settings.TeacherMode == "offline"
            ? context.Teachers.Select(t => DistillationRows.TeacherLogits(t, data, cancellationToken)).ToList()
            : null;
        IReadOnlyList<Candidate> candidates = CandidateSearch.Candidates(settings, DistillationMethodCatalog.From(context.Services));
        bool auto = candidates.Count > 1;
        bool compare = settings.CompareWithScratch || settings.Repeats > 1 || auto;
        IReadOnlyList<TapShape> taps = FeatureTaps.Shapes(FeatureTaps.Configured(settings), spec, context.Teacher);
        IReadOnlyList<float[]>? offlineFeatures = settings.TeacherMode == "offline" ? OfflineFeatures(context, taps, trainingSet.Count, cancellationToken) : null;
        using var trainer = new StudentTrainer(context, settings, spec, trainingSet, offline,
            seed => Transform(settings.Augment, spec, seed), seed => Transform(LabelPreserving(settings.Augment), spec, seed), taps, offlineFeatures, cancellationToken);
        int RunsPerSeed(Candidate c) => (c.IsScratch ? 1 : settings.Generations) + (compare && !c.IsScratch ? 1 : 0);

        var seedZero = new Dictionary<Candidate, (SequentialModel Student, List<RunOutcome> Runs)>();
        List<CandidateResult> searched = [];
        Candidate chosen = candidates[0];
        if (auto)
        {
            trainer.TotalRuns = candidates.Sum(c => c.IsScratch ? 1 : settings.Generations) + ((settings.Repeats - 1) * RunsPerSeed(candidates[0]));
            (chosen, searched) = Search(trainer, candidates, context.Seed, seedZero);
        }
        else
        {
            trainer.TotalRuns = settings.Repeats * RunsPerSeed(chosen);
        }

        var distilled = new List<RunOutcome>();
        var scratch = new List<RunOutcome>();
        var runs = new List<RunOutcome>();
        string directory = Path.Combine(context.OutputDirectory, "student");
        long parameters = 0;
        for (int repeat = 0; repeat < settings.Repeats; repeat++)
        {
            int seed = context.Seed + repeat;
            (SequentialModel student, List<RunOutcome> outcomes) = repeat == 0 && seedZero.Remove(chosen, out var trained) ? trained : trainer.Train(chosen, seed);
            if (repeat == 0)
            {
                TorchModelArtifact.Save(student, directory);
                trainer.SaveAdapters(student, directory);
                parameters = student.ParameterCount;
            }
            trainer.Release(student);
            runs.AddRange(outcomes);
            distilled.Add(outcomes[^1]);
            if (!compare)
            {
                continue;
            }
            if (chosen.IsScratch)
            {
                scratch.Add(outcomes[^1]);
                continue;
            }
            (SequentialModel baseline, List<RunOutcome> baselineRuns) = repeat == 0 && seedZero.Remove(Candidate.Scratch, out var done)
                ? done : trainer.Train(Candidate.Scratch, seed);
            trainer.Release(baseline);
            scratch.Add(baselineRuns[^1]);
        }
        foreach (var pair in seedZero)
        {
            trainer.Release(pair.Value.Student);
        }
        return DistillReport.Result(context, settings, chosen, searched, parameters, directory, distilled, scratch, runs, trainingSet, cancellationToken);
    }

    /// <summary>
    /// <c>"method": "auto"</c>: trains every candidate once with the pipeline's seed; the best on the
    /// validation split wins (scratch is one of them, so the winner is never worse on validation than
    /// training without the teacher). Keeps the winner's and scratch's students in
    /// <paramref name="trained"/> for the first repeat to reuse.
    /// </summary>
    private static (Candidate Chosen, List<CandidateResult> Searched) Search(
        StudentTrainer trainer, IReadOnlyList<Candidate> candidates, int seed, Dictionary<Candidate, (SequentialModel Student, List<RunOutcome> Runs)> trained)
    {
        foreach (Candidate candidate in candidates)
        {
            trained[candidate] = trainer.Train(candidate, seed);
        }
        List<CandidateResult> searched = candidates.Select(c => new CandidateResult(c, trained[c].Runs[^1])).ToList();
        Candidate chosen = CandidateSearch.Best(searched).Candidate;
        foreach (Candidate loser in trained.Keys.Where(c => c != chosen && !c.IsScratch).ToList())
        {
            trainer.Release(trained[loser].Student);
            trained.Remove(loser);
        }
        return (chosen, searched);
    }

    /// <summary>The trainer's batch transform for these augmentations, or null when they are all off.</summary>
    private static BatchTransform? Transform(AugmentSettings settings, ModelSpec spec, int seed)
    {
        var augmenter = new Augmenter(settings, spec.Input, seed);
        if (augmenter.IsIdentity)
        {
            return null;
        }
        return (features, labels, step) =>
        {
            AugmentedBatch batch = augmenter.Apply(features, labels, step);
            return (batch.Features, batch.Labels);
        };
    }

    /// <summary>
    /// What the scratch baseline gets: the same augmentations minus mixup, which takes hard labels away
    /// (only a teacher can teach a mixed sample).
    /// </summary>
    private static AugmentSettings LabelPreserving(AugmentSettings settings) => new()
    {
        Shift = settings.Shift,
        HorizontalFlip = settings.HorizontalFlip,
        Noise = settings.Noise,
    };

    /// <summary>
    /// Each tap's teacher features for every training row (train, then transfer), from the host's cache.
    /// Refused when they would not fit the memory budget: online mode computes them per batch instead.
    /// </summary>
    private static IReadOnlyList<float[]>? OfflineFeatures(StageContext context, IReadOnlyList<TapShape> taps, int rows, CancellationToken cancellationToken)
    {
        if (taps.Count == 0)
        {
            return null;
        }
        long bytes = taps.Sum(t => t.Teacher.Aggregate(1L, (a, b) => a * b)) * rows * sizeof(float);
        if (context.Services.GetService<IMemoryBudget>() is IMemoryBudget budget && bytes > budget.Bytes / 2)
        {
            throw new StageException(
                $"the teacher features of the taps take {bytes / 1048576.0:0} MiB for {rows:N0} training rows, more than half of the memory budget ({budget.Source}): use \"teacherMode\": \"online\" (features per batch) or tap smaller tensors",
                "taps");
        }
        var features = new List<float[]>();
        foreach (TapShape tap in taps)
        {
            features.Add(DistillationRows.TeacherOutputs(context.Data, split => context.Teacher.GetFeaturesAsync(split, tap.Tap.Teacher, cancellationToken)));
        }
        return features;
    }

    private static SettingsError? TryParse(System.Text.Json.JsonElement student)
    {
        try
        {
            ModelSpec.Parse(student, "student");
            return null;
        }
        catch (ModelSpecException ex)
        {
            return new SettingsError(ex.JsonPath, ex.Message);
        }
    }

    private static void CheckFits(ModelSpec spec, DataSplits data)
    {
        if (!spec.Input.SequenceEqual(data.Train.SampleShape))
        {
            throw new StageException($"the student's input is [{string.Join(", ", spec.Input)}] but samples have shape [{string.Join(", ", data.Train.SampleShape)}]", "student.input");
        }
        int[] output = spec.OutputShape();
        if (output.Length != 1 || output[0] != data.ClassCount)
        {
            throw new StageException($"the student's last layer gives [{string.Join(", ", output)}] but the data has {data.ClassCount} classes: end with {{\"type\": \"linear\", \"out\": {data.ClassCount}}}", "student.layers");
        }
    }

    private static DistillationOptions Options(DistillSettings settings) =>
        new(settings.Temperature, settings.Alpha, settings.MethodParameters) { Taps = FeatureTaps.Configured(settings) };

}

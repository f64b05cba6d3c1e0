using System.Diagnostics;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Core.AppModel;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Evaluation;
using Compression.Core.Gate;
using Compression.Core.Planning;
using Compression.Core.Provenance;
using Compression.Core.Provenance.Bom;
using Compression.Core.Provenance.Licensing;
using Compression.Core.Results;
using Compression.Core.Targets;
using Compression.Core.Teacher;
using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Models.Evaluation;
using Compression.Models.Training;
using Compression.Onnx;
using Microsoft.Extensions.Logging;

namespace Compression.Core.Running;

/// <summary>
/// Runs a checked plan: loads the data, resolves the teacher, runs or reuses each stage (a stage's
/// cache key covers its code, settings, inputs, data and seed, so a change re-runs it and every
/// stage after it), evaluates teacher and student on the test split, applies the gate and writes
/// the results.
/// </summary>
public sealed class PipelineRunner(IServiceProvider services, ILogger<PipelineRunner> logger)
{
    public async Task<PipelineResult> RunAsync(LoadedConfig loaded, PipelinePlan plan, RunOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        progress.Report(ThreadSettings.Apply(loaded.Config.Threads));
        Directory.CreateDirectory(options.WorkDirectory);
        DataFormatRegistry formats = DataFormats.From(services);
        AtomicFile.WriteAllText(Path.Combine(options.WorkDirectory, "inputs.txt"), string.Join('\n', ConfigInputs.Files(loaded, formats)) + "\n");
        var cache = new ArtifactCache(Path.Combine(options.WorkDirectory, "cache"));
        cache.SweepScratch();
        var (licensed, licenceFindings) = LicenseReview.Review(loaded);
        if (licenceFindings.Any(f => f.Severity == Severity.Error))
        {
            throw new CompressionException(licenceFindings.Where(f => f.Severity == Severity.Error).ToList());
        }

        // Targets are reached (and their runners published) before anything trains: an unreachable device fails in seconds.
        TargetBenchmark targets = await TargetBenchmark.PrepareAsync(loaded, services.GetService(typeof(RunnerPublisher)) as RunnerPublisher ?? RunnerPublisher.Default(), progress, cancellationToken);
        Baseline? committedBaseline = BaselineGate.ReadCommitted(loaded, options.UpdateBaseline);
        IMemoryBudget budget = services.GetService(typeof(IMemoryBudget)) as IMemoryBudget ?? MemoryBudget.For(loaded.Config.MaxModelMemoryMb);
        ArtifactCache teacherCache = TeacherCache(options, cache, progress);
        var loadedData = DataSetFactory.Load(loaded, formats, new DataFileDigests(),
            new DataLoadContext(Path.Combine(options.WorkDirectory, "cache", "data"), budget, progress) { TeacherCacheFolder = teacherCache.Root });
        DataSplits data = loadedData.Splits;
        string trainCounts = data.Transfer.Count == 0
            ? $"{data.Train.Count} train"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{data.Train.Count:N0} labelled train + {data.Transfer.Count:N0} unlabelled transfer");
        progress.Report($"data: {trainCounts} / {data.Validation.Count} validation / {data.Test.Count} test samples of [{string.Join(", ", data.Train.SampleShape)}], {data.ClassCount} classes");
        InputContract? contract = AppModelPreflight.Contract(loaded);
        if (contract is not null)
        {
            AppModelPreflight.CheckData(loaded, contract, data.Train.SampleShape);
        }
        TeacherSet teachers = TeacherResolver.ResolveAll(loaded, data, loadedData.TeacherTrain, loadedData.Normalization, budget, teacherCache, progress, cancellationToken);
        CachedTeacher teacher = teachers.Primary;

        var metrics = new MetricSet();
        var runs = new List<StageRun>();
        var stageWarnings = new List<Finding>(licenceFindings);
        var lineage = new List<LineageStep>();
        var summaryNotes = new List<string>();
        var inputs = new Dictionary<ArtifactKind, (Artifact Artifact, string Hash)>();
        if (contract is not null)
        {
            // The app's model is the first stage's input, and the reference (the resolved teacher) too.
            inputs[ArtifactKind.OnnxModel] = (new Artifact(ArtifactKind.OnnxModel, teacher.OnnxPath), teacher.ContentHash);
        }
        foreach (PlannedStage planned in plan.Stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string key = StageKey(planned, inputs, data, teachers, loaded.Config.Seed);
            var started = Stopwatch.StartNew();
            CacheEntry? entry = cache.TryGet(key);
            bool fromCache = entry is not null;
            if (entry is null)
            {
                progress.Report($"{planned.Id}: running");
                entry = await RunStageAsync(planned, key, cache, inputs, data, teachers, loaded, progress, cancellationToken);
            }
            else
            {
                progress.Report($"{planned.Id}: reused from the cache");
            }
            foreach (CachedArtifact artifact in entry.Manifest.Artifacts)
            {
                var kind = planned.Stage.Produces.FirstOrDefault(k => k.Name.Equals(artifact.Kind, StringComparison.OrdinalIgnoreCase))
                    ?? new ArtifactKind(artifact.Kind, artifact.Kind);
                inputs[kind] = (new Artifact(kind, entry.PathOf(artifact.Path)), artifact.Sha256);
            }
            metrics.AddRange(entry.Manifest.Metrics);
            if (entry.Manifest.SummaryNote is string note)
            {
                summaryNotes.Add(note);
            }
            stageWarnings.AddRange(entry.Manifest.Warnings.Select(w => new Finding(Severity.Warning, w.Code, $"stage '{planned.Id}': {w.Message}",
                loaded.Locations.Locate(w.SettingsPath is null ? $"{planned.ConfigPath}.stage" : $"{planned.ConfigPath}.settings.{w.SettingsPath}"))));
            runs.Add(new StageRun(planned.Id, fromCache, started.Elapsed, key, entry.Manifest.ReportMarkdown));
            lineage.Add(new LineageStep(planned.Id, planned.Stage.Name, planned.Stage.Version, ContentHash.OfText(planned.SettingsJson), key, fromCache));
        }

        string studentPath = inputs[ArtifactKind.OnnxModel].Artifact.Path;
        progress.Report("evaluate: teacher and student on the test split");
        IModelEvaluator evaluator = EvaluatorRegistry.From(services).Find(loaded.Config.Task)
            ?? throw new InvalidOperationException($"no evaluator for the task '{loaded.Config.Task}': the plan's preflight should have refused it");
        bool[] studentCorrect;
        try
        {
            ModelEvaluation evaluation = await evaluator.EvaluateAsync(teacher, studentPath, data, cancellationToken);
            metrics.AddRange(evaluation.Metrics);
            metrics.AddRange(ModelFileMetrics.Measure(teacher, studentPath));
            studentCorrect = [.. evaluation.StudentCorrect];
            if ((evaluation.TeacherFailure ?? evaluation.StudentFailure) is not null)
            {
                bool isTeacher = evaluation.TeacherFailure is not null;
                throw new CompressionException(ErrorCodes.ModelCollapsed,
                    $"evaluate: the {(isTeacher ? "teacher" : "student")} {evaluation.TeacherFailure ?? evaluation.StudentFailure}",
                    loaded.Locations.Locate(isTeacher ? TeacherSetting(loaded) : StudentSetting(loaded, plan)));
            }
        }
        catch (NonFiniteOutputException ex)
        {
            string at = ex.OnnxPath == teacher.OnnxPath ? TeacherSetting(loaded) : StudentSetting(loaded, plan);
            throw new CompressionException(ErrorCodes.NonFiniteOutputs, $"evaluate: {ex.Message}", loaded.Locations.Locate(at));
        }

        var targetRuns = new List<TargetRun>();
        if (targets.Count > 0)
        {
            var (targetMetrics, runsOnTargets) = await targets.MeasureAsync(teacher.OnnxPath, studentPath, loaded.Config.Seed, progress, cancellationToken);
            metrics.AddRange(targetMetrics);
            targetRuns = runsOnTargets;
        }

        var findings = new List<Finding>(stageWarnings);
        var verdicts = new List<BudgetVerdict>();
        MetricCatalog catalog = MetricCatalog.For(plan.Stages, services, evaluator, loaded.Config.Targets);
        findings.AddRange(BudgetEvaluator.Evaluate(loaded.Config.Budgets, metrics, loaded.Locations, verdicts, catalog));
        BaselineComparison? baseline = BaselineGate.Apply(loaded, options.UpdateBaseline, committedBaseline, metrics, studentCorrect, studentPath, findings, progress, cancellationToken, TestSetIdentity.Of(loaded, formats, loadedData.Digests));

        // Provenance runs last: it records the inputs, every stage and the measured metrics.
        progress.Report("provenance: hashing the inputs, writing the lineage and the ML-BOM");
        ProvenanceRecord record = ProvenanceCollector.Collect(loaded, plan.Stages, lineage, teachers, loadedData, licensed, metrics.All, shipped: options.CopyModelTo is not null);
        if (options.CopyModelTo is not null)
        {
            // The app's model keeps its input contract: the shipped file takes what the original took.
            InputNormalization prepended = contract is null ? loadedData.Normalization : InputNormalization.None;
            ShippedModel.Write(studentPath, options.CopyModelTo, prepended, data.Test, cancellationToken, LineageMetadata.For(record), contract?.Describe());
        }
        string modelPath = options.CopyModelTo ?? studentPath;
        string bomPath = Path.Combine(options.WorkDirectory, CycloneDxBom.FileName);
        AtomicFile.WriteAllText(bomPath, CycloneDxBom.Write(record, new HashedFile("model", modelPath, ContentHash.OfFile(modelPath)), DateTimeOffset.UtcNow));
        var result = new PipelineResult(loaded.FilePath, metrics.All, findings, runs, studentPath, teacher.OnnxPath, clock.Elapsed)
        {
            ShippedInput = options.CopyModelTo is null ? null : contract?.Describe() ?? loadedData.Normalization.Describe(),
            BomPath = bomPath,
            ProvenanceMarkdown = ProvenanceReport.ToMarkdown(record, bomPath),
            Budgets = verdicts,
            Baseline = baseline,
            Descriptors = catalog.All,
            SummaryNotes = summaryNotes,
            Targets = targetRuns,
        };
        ResultWriter.WriteJson(result, Path.Combine(options.WorkDirectory, "result.json"));
        ResultWriter.WriteMarkdown(result, Path.Combine(options.WorkDirectory, "report.md"));
        return result;
    }

    /// <summary>The shared teacher cache when one is configured and usable, else the work folder's.</summary>
    private static ArtifactCache TeacherCache(RunOptions options, ArtifactCache workCache, IProgress<string> progress)
    {
        if (options.TeacherCache is not string folder)
        {
            return workCache;
        }
        try
        {
            var shared = new ArtifactCache(folder);
            shared.SweepScratch();
            progress.Report($"teacher cache: {folder} (shared by the projects on this machine; --teacher-cache off or {SharedTeacherCache.EnvironmentVariable}=off keeps teachers in the work folder)");
            return shared;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            progress.Report($"teacher cache: cannot use {folder} ({ex.Message}); keeping teachers in the work folder's cache");
            return workCache;
        }
    }

    private async Task<CacheEntry> RunStageAsync(
        PlannedStage planned, string key, ArtifactCache cache, Dictionary<ArtifactKind, (Artifact Artifact, string Hash)> inputs,
        DataSplits data, TeacherSet teachers, LoadedConfig loaded, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string scratch = cache.CreateScratch();
        try
        {
            var context = new StageContext
            {
                StageId = planned.Id,
                OutputDirectory = scratch,
                ConfigDirectory = loaded.Directory,
                Inputs = inputs.ToDictionary(p => p.Key, p => p.Value.Artifact),
                Data = data,
                Teacher = teachers.Primary,
                Teachers = teachers.Teachers,
                TeacherWeights = teachers.Weights,
                Seed = loaded.Config.Seed,
                Task = loaded.Config.Task,
                Progress = new SynchronousProgress<StageProgress>(p => progress.Report(FormatProgress(planned.Id, p))),
                Logger = logger,
                Services = services,
            };
            StageResult result = await planned.Stage.RunAsync(context, planned.Settings, cancellationToken);
            return cache.Commit(key, scratch, result.Artifacts, result.Metrics, result.ReportMarkdown, result.Warnings, result.SummaryNote);
        }
        catch (Exception ex)
        {
            cache.Discard(scratch);
            if (AsBadInput(ex, planned, loaded) is CompressionException badInput)
            {
                throw badInput;
            }
            throw;
        }
    }

    /// <summary>What a stage's failure says about the user's input, located in compression.json; null for our bugs.</summary>
    private static CompressionException? AsBadInput(Exception ex, PlannedStage planned, LoadedConfig loaded) => ex switch
    {
        StageException stage => new CompressionException(ErrorCodes.StageFailed, $"stage '{planned.Id}': {stage.Message}",
            loaded.Locations.Locate(stage.SettingsPath is null ? $"{planned.ConfigPath}.stage" : $"{planned.ConfigPath}.settings.{stage.SettingsPath}")),
        TrainingDivergedException diverged => new CompressionException(ErrorCodes.TrainingDiverged, $"stage '{planned.Id}': {diverged.Message}",
            loaded.Locations.Locate($"{planned.ConfigPath}.settings.learningRate")),
        NonFiniteOutputException broken => new CompressionException(ErrorCodes.NonFiniteOutputs, $"stage '{planned.Id}': {broken.Message}",
            loaded.Locations.Locate($"{planned.ConfigPath}.stage")),
        _ => null,
    };

    private static string StageKey(PlannedStage planned, Dictionary<ArtifactKind, (Artifact Artifact, string Hash)> inputs, DataSplits data, TeacherSet teachers, int seed)
    {
        var key = new ContentHash.KeyBuilder()
            .Add("stage/1")
            .Add(planned.Stage.Name)
            .Add(planned.Stage.Version)
            .Add(ContentHash.OfAssembly(planned.Stage.GetType().Assembly))
            .Add(planned.SettingsJson)
            .Add(data.ContentHash)
            .Add(string.Join(';', teachers.Teachers.Select((t, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Name}={t.ContentHash}*{teachers.Weights[i]:R}"))))
            .Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (kind, value) in inputs.OrderBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            key.Add(kind.Name).Add(value.Hash);
        }
        return key.Build();
    }

    /// <summary>Where a broken teacher is best looked for: a trained spec's learning rate, or the file.</summary>
    private static string TeacherSetting(LoadedConfig loaded) =>
        loaded.Config.Teacher is { } single
            ? single.Onnx is not null ? "teacher.onnx" : "teacher.training.learningRate"
            : loaded.Config.Teachers is null && loaded.Config.Model is not null ? "model.onnx" : "teachers[0]";

    /// <summary>Where a broken final model is best looked for: the first stage's learning rate, or the app's model when no stage ran.</summary>
    private static string StudentSetting(LoadedConfig loaded, PipelinePlan plan) =>
        plan.Stages.Count > 0 ? $"{plan.Stages[0].ConfigPath}.settings.learningRate" : "model.onnx";

    private static string FormatProgress(string stageId, StageProgress progress)
    {
        string eta = progress.Remaining is TimeSpan remaining ? $" (ETA {remaining:m\\:ss})" : "";
        return $"{stageId}: {progress.Message}{eta}";
    }
}

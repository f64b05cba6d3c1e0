using Compression.Abstractions.Artifacts;
using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models.Spec;
using Compression.Models;
using Compression.Models.Training;
using Compression.Plugins.Distillation.Features;
using Compression.Plugins.Distillation.Teaching;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Trains the students of one distill stage: the distilled one (through every Born-Again generation)
/// and the scratch baseline, for one seed (which also seeds the augmentations). Holds what all seeds share: the data, the offline teacher
/// logits, the method and the progress bookkeeping.
/// </summary>
internal sealed class StudentTrainer(
    StageContext context, DistillSettings settings, ModelSpec spec,
    LabelledData trainingSet, IReadOnlyList<float[]>? offlineLogits, Func<int, BatchTransform?> augment, Func<int, BatchTransform?> labelPreservingAugment,
    IReadOnlyList<TapShape> taps, IReadOnlyList<float[]>? offlineFeatures, CancellationToken cancellationToken) : IDisposable
{
    // The adapters each distilled student was trained with, to save beside the shipped one.
    private readonly Dictionary<SequentialModel, AdapterSet> _adapters = [];
    private readonly DataSplits _data = context.Data;

    /// <summary>Optimisation steps of one distilled run over all training rows; a scratch run gets as many.</summary>
    public int DistilledSteps { get; } = (trainingSet.Count + settings.BatchSize - 1) / settings.BatchSize * settings.Epochs;
    private int _runsDone;

    /// <summary>How many training runs the stage plans in all, for progress and its ETA.</summary>
    public int TotalRuns { get; set; } = 1;

    /// <summary>
    /// Trains <paramref name="candidate"/> with <paramref name="seed"/>: through every generation when it
    /// distils (returning the last generation's student), or once without the teacher.
    /// </summary>
    public (SequentialModel Student, List<RunOutcome> Runs) Train(Candidate candidate, int seed)
    {
        if (candidate.IsScratch)
        {
            var (model, outcome) = Scratch(seed);
            return (model, [outcome]);
        }
        return Distill(candidate.Method!, candidate.Options!, seed);
    }

    /// <summary>Distils through every generation with <paramref name="seed"/>; returns the last generation's student.</summary>
    public (SequentialModel Student, List<RunOutcome> Generations) Distill(IDistillationMethod method, DistillationOptions options, int seed)
    {
        var outcomes = new List<RunOutcome>();
        SequentialModel? previous = null;
        for (int generation = 1; generation <= settings.Generations; generation++)
        {
            using TeacherEnsemble teachers = generation == 1 ? ConfiguredTeachers() : PreviousGeneration(previous!);
            var student = ModelFactory.Create(spec, seed);
            var adapters = new AdapterSet(taps);
            _adapters[student] = adapters;
            method.Setup(new DistillationSetup(options, taps, adapters));
            string label = string.Create(CultureInfo.InvariantCulture,
                $"{new Candidate(method, options).Label}{(settings.Generations > 1 ? $" gen {generation}" : "")} (seed {seed})");
            var extras = new TrainingExtras
            {
                Taps = options.Taps.Select(t => t.Student).Distinct(StringComparer.Ordinal).ToList(),
                Modules = adapters.Count > 0 ? [adapters] : [],
                BatchProgress = BatchProgress(label),
            };
            TrainingSummary summary = SupervisedTrainer.Train(student, trainingSet, _data.Validation, settings.ToOptions(seed) with { Steps = null },
                teachers.Loss(method, options, adapters.ByName), Progress(label, teachers), cancellationToken, augment(seed), extras);
            double? share = settings.TeacherMode == "online" && summary.Elapsed > TimeSpan.Zero ? teachers.Elapsed / summary.Elapsed : null;
            outcomes.Add(Evaluate(label, student, summary, share));
            Release(previous);
            previous = student;
        }
        return (previous!, outcomes);
    }

    /// <summary>
    /// The same student without the teacher: on the labelled samples only, for <see cref="DistilledSteps"/>
    /// optimisation steps (as many as a distilled run takes over all its rows). The caller disposes it.
    /// </summary>
    public (SequentialModel Student, RunOutcome Outcome) Scratch(int seed)
    {
        var student = ModelFactory.Create(spec, seed);
        string label = string.Create(CultureInfo.InvariantCulture, $"scratch (seed {seed})");
        TrainingSummary summary = SupervisedTrainer.Train(student, _data.Train, _data.Validation, settings.ToOptions(seed) with { Steps = DistilledSteps },
            Losses.CrossEntropy, Progress(label, null), cancellationToken, labelPreservingAugment(seed), new TrainingExtras { BatchProgress = BatchProgress(label) });
        return (student, Evaluate(label, student, summary, null));
    }

    /// <summary>
    /// Saves the adapters <paramref name="student"/> was trained with into <paramref name="directory"/>
    /// (beside its weights; never exported). Nothing when it had none.
    /// </summary>
    public void SaveAdapters(SequentialModel student, string directory)
    {
        if (_adapters.TryGetValue(student, out AdapterSet? adapters) && adapters.Count > 0)
        {
            string path = Path.Combine(directory, AdapterSet.FileName);
            AtomicFile.Write(path, temporary => adapters.save(temporary));
        }
    }

    /// <summary>Disposes a student and the adapters it was trained with.</summary>
    public void Release(SequentialModel? student)
    {
        if (student is null)
        {
            return;
        }
        if (_adapters.Remove(student, out AdapterSet? adapters))
        {
            adapters.Dispose();
        }
        student.Dispose();
    }

    public void Dispose()
    {
        foreach (AdapterSet adapters in _adapters.Values)
        {
            adapters.Dispose();
        }
        _adapters.Clear();
    }

    private RunOutcome Evaluate(string label, SequentialModel student, TrainingSummary summary, double? teacherShare)
    {
        bool[] correct = ModelEvaluator.Correct(student, _data.Test);
        double accuracy = correct.Length == 0 ? 0 : (double)correct.Count(c => c) / correct.Length;
        return new RunOutcome(label, summary, accuracy, correct, teacherShare);
    }

    private TeacherEnsemble ConfiguredTeachers()
    {
        IReadOnlyList<ITeacher> teachers = context.Teachers;
        var signals = new List<ITeacherSignal>();
        for (int i = 0; i < teachers.Count; i++)
        {
            // Taps read the first teacher's features.
            IReadOnlyList<TapShape> read = i == 0 ? taps : [];
            signals.Add(offlineLogits is null
                ? new OnnxOnlineSignal(teachers[i], _data.ClassCount, read.Select(t => t.Tap.Teacher).ToList(), read.Select(t => t.Teacher).ToList())
                : new OfflineSignal(offlineLogits[i], trainingSet.Count, _data.ClassCount, read.Select(t => (offlineFeatures![t.Index], t.Teacher)).ToList()));
        }
        return new TeacherEnsemble(signals, context.TeacherWeights);
    }

    private TeacherEnsemble PreviousGeneration(SequentialModel previous)
    {
        ITeacherSignal signal = settings.TeacherMode == "online"
            ? new TorchOnlineSignal(previous)
            : new OfflineSignal(ModelEvaluator.Logits(previous, trainingSet), trainingSet.Count, _data.ClassCount);
        return new TeacherEnsemble([signal], [1.0]);
    }

    private IProgress<EpochReport> Progress(string label, TeacherEnsemble? teachers)
    {
        int run = _runsDone++;
        TimeSpan lastTeacher = TimeSpan.Zero;
        TimeSpan lastElapsed = TimeSpan.Zero;
        return new EpochReportHandler(e =>
        {
            // A long run (a scratch baseline on few rows takes many short epochs) reports at most
            // SupervisedTrainer.MaxReportedEpochs times: the trainer validates only those epochs.
            string teacherShare = "";
            if (teachers is not null && settings.TeacherMode == "online")
            {
                TimeSpan epochTime = e.Elapsed - lastElapsed;
                double share = epochTime > TimeSpan.Zero ? (teachers.Elapsed - lastTeacher) / epochTime : 0;
                teacherShare = string.Create(CultureInfo.InvariantCulture, $", teacher {share * 100:0}% of training time");
                (lastTeacher, lastElapsed) = (teachers.Elapsed, e.Elapsed);
            }
            TimeSpan perRun = e.Elapsed + e.Remaining;
            context.Progress.Report(new StageProgress(
                string.Create(CultureInfo.InvariantCulture,
                    $"[{run + 1}/{TotalRuns}] {label} epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.0000}{LossTermsText(e.Terms)} val acc {e.ValidationAccuracy:0.0000}{teacherShare}"),
                Math.Min(1, (run + ((double)e.Epoch / e.Epochs)) / TotalRuns),
                e.Remaining + (perRun * Math.Max(0, TotalRuns - run - 1))));
        });
    }

    /// <summary>Lines inside a long epoch (the run's own ETA; the stage's overall ETA comes with each epoch).</summary>
    private BatchReportHandler BatchProgress(string label) =>
        new(b => context.Progress.Report(new StageProgress($"{label} {b}")));

    /// <summary>" (hard 0.1200, soft 0.0800, hint 0.0300)" for a method with named terms; nothing for a single "loss".</summary>
    internal static string LossTermsText(IReadOnlyList<KeyValuePair<string, double>> terms) =>
        terms.Count == 0 || (terms.Count == 1 && terms[0].Key == "loss")
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" ({string.Join(", ", terms.Select(t => $"{t.Key} {t.Value:0.0000}"))})");
}

using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Fine-tunes a pruned model to recover accuracy, with the shared supervised trainer: by default with
/// a registered distillation method against the teachers' cached logits (the host's offline logits of
/// the train and transfer rows, the way the distill stage's offline mode uses them), or on the hard
/// labels alone (<c>"method": "none"</c>).
/// </summary>
internal sealed class FineTuner : IDisposable
{
    public const string NoMethod = "none";

    private readonly StageContext _context;
    private readonly PruneSettings _settings;
    private readonly CancellationToken _cancellationToken;
    private readonly IDistillationMethod? _method;
    private readonly List<Tensor> _teacherLogits = [];

    public FineTuner(StageContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        (_context, _settings, _cancellationToken) = (context, settings, cancellationToken);
        DataSplits data = context.Data;
        Rows = DistillationRows.Of(data);
        if (!string.Equals(settings.Method, NoMethod, StringComparison.OrdinalIgnoreCase))
        {
            _method = DistillationMethodCatalog.From(context.Services).Get(settings.Method);
            foreach (ITeacher teacher in context.Teachers)
            {
                _teacherLogits.Add(tensor(DistillationRows.TeacherLogits(teacher, data, cancellationToken), [Rows.Count, data.ClassCount]));
            }
        }
    }

    /// <summary>The rows fine-tuning (and Taylor importance) learns from: train, then unlabelled transfer rows.</summary>
    public LabelledData Rows { get; }

    /// <summary>What the report says fine-tuning learned from.</summary>
    public string Description => _method is null
        ? "the hard labels alone"
        : string.Create(CultureInfo.InvariantCulture, $"'{_method.Name}' distillation from {(_context.Teachers.Count == 1 ? $"the teacher '{_context.Teacher.Name}'" : $"{_context.Teachers.Count} teachers")} (T = {_settings.Temperature}, alpha = {_settings.Alpha})");

    /// <summary>The loss of one batch.</summary>
    public Tensor Loss(Tensor logits, TrainingBatch batch)
    {
        if (_method is null)
        {
            return Losses.CrossEntropy(logits, batch);
        }
        using Tensor rows = tensor(batch.Rows);
        Tensor[] teachers = _teacherLogits.Select(t => t.index_select(0, rows)).ToArray();
        var distillation = DistillationBatch.OfTeachers(logits, teachers, _context.TeacherWeights, batch.Labels);
        return _method.Loss(distillation, new DistillationOptions(_settings.Temperature, _settings.Alpha, _settings.MethodParameters));
    }

    /// <summary>
    /// Trains <paramref name="model"/> for the configured epochs; <paramref name="beforeStep"/> runs before
    /// every forward pass (unstructured pruning re-applies its masks there).
    /// </summary>
    public TrainingSummary Train(nn.Module<Tensor, Tensor> model, int seed, string label, Action? beforeStep)
    {
        var options = new TrainingOptions
        {
            Epochs = _settings.FineTuneEpochs,
            BatchSize = _settings.BatchSize,
            LearningRate = _settings.LearningRate,
            Optimizer = _settings.Optimizer,
            WeightDecay = _settings.WeightDecay,
            Schedule = "cosine",
            Seed = seed,
        };
        BatchTransform? hold = beforeStep is null ? null : (features, labels, _) =>
        {
            beforeStep();
            return (features, labels);
        };
        var progress = new EpochReportHandler(e => _context.Progress.Report(new StageProgress(
            string.Create(CultureInfo.InvariantCulture, $"{label}: fine-tune epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.0000} val acc {e.ValidationAccuracy:0.0000}"))));
        var batches = new TrainingExtras { BatchProgress = new BatchReportHandler(b => _context.Progress.Report(new StageProgress($"{label}: fine-tune {b}"))) };
        TrainingSummary summary = SupervisedTrainer.Train(model, Rows, _context.Data.Validation, options, Loss, progress, _cancellationToken, hold, batches);
        beforeStep?.Invoke();
        return summary;
    }

    public void Dispose()
    {
        foreach (Tensor logits in _teacherLogits)
        {
            logits.Dispose();
        }
    }
}

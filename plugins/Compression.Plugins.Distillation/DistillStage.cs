using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Training;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation;

/// <summary>
/// Trains the student spec against the teacher's logits with the chosen distillation method, and
/// optionally the same student from scratch with the same epochs and seed, to measure the gain.
/// </summary>
public sealed class DistillStage : Stage<DistillSettings>
{
    public override string Name => "distill";

    public override string Description => "Train a small student from the teacher's soft targets (method: kd, or a plugin's)";

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
        var methods = services.GetServices<IDistillationMethod>().ToList();
        IDistillationMethod? method = methods.FirstOrDefault(m => string.Equals(m.Name, settings.Method, StringComparison.OrdinalIgnoreCase));
        if (method is null)
        {
            yield return new SettingsError("method", $"unknown distillation method \"{settings.Method}\": expected one of {string.Join(", ", methods.Select(m => m.Name).Order(StringComparer.Ordinal))}");
        }
        else
        {
            foreach (SettingsError error in method.Validate(Options(settings)))
            {
                yield return error;
            }
        }
    }

    protected override Task<StageResult> RunAsync(StageContext context, DistillSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    private static StageResult Run(StageContext context, DistillSettings settings, CancellationToken cancellationToken)
    {
        ModelSpec spec = ModelSpec.Parse(settings.Student!.Value, "student");
        DataSplits data = context.Data;
        CheckFits(spec, data);
        IDistillationMethod method = context.Services.GetServices<IDistillationMethod>()
            .First(m => string.Equals(m.Name, settings.Method, StringComparison.OrdinalIgnoreCase));
        DistillationOptions options = Options(settings);
        TrainingOptions training = settings.ToOptions(context.Seed);

        float[] teacherLogits = context.Teacher.GetLogitsAsync(DataSplit.Train, cancellationToken).GetAwaiter().GetResult();
        if (teacherLogits.Length != (long)data.Train.Count * data.ClassCount)
        {
            throw new StageException($"the teacher gives {teacherLogits.Length / Math.Max(data.Train.Count, 1)} logits per sample; the data has {data.ClassCount} classes");
        }
        using Tensor teacher = tensor(teacherLogits, [data.Train.Count, data.ClassCount]);
        LossFunction loss = (logits, labels, indices) =>
        {
            using Tensor rows = tensor(indices);
            return method.Loss(new DistillationBatch(logits, teacher.index_select(0, rows), labels), options);
        };

        using SequentialModel student = ModelFactory.Create(spec, context.Seed);
        TrainingSummary distilled = SupervisedTrainer.Train(student, data.Train, data.Validation, training, loss,
            EpochProgress(context, method.Name, 0, settings.CompareWithScratch ? 2 : 1), cancellationToken);
        double studentTest = ModelEvaluator.Accuracy(student, data.Test);
        string directory = Path.Combine(context.OutputDirectory, "student");
        TorchModelArtifact.Save(student, directory);

        var metrics = new List<Metric>
        {
            new(MetricNames.StudentParameters, student.ParameterCount, "count"),
            new("distill.validation_accuracy", distilled.ValidationAccuracy, "ratio"),
            new("distill.student_test_accuracy", studentTest, "ratio"),
            new("distill.seconds", distilled.Elapsed.TotalSeconds, "s"),
        };
        var report = new StringBuilder();
        report.AppendLine("| run | epochs | final train loss | validation accuracy | test accuracy | seconds |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        report.AppendLine(Row($"{method.Name} (T={settings.Temperature}, alpha={settings.Alpha})", distilled, studentTest));

        if (settings.CompareWithScratch)
        {
            using SequentialModel scratch = ModelFactory.Create(spec, context.Seed);
            TrainingSummary baseline = SupervisedTrainer.Train(scratch, data.Train, data.Validation, training, Losses.CrossEntropy,
                EpochProgress(context, "scratch", 1, 2), cancellationToken);
            double scratchTest = ModelEvaluator.Accuracy(scratch, data.Test);
            metrics.Add(new Metric(MetricNames.ScratchAccuracy, scratchTest, "ratio"));
            metrics.Add(new Metric("distill.gain_points", (studentTest - scratchTest) * 100, "points"));
            report.AppendLine(Row("from scratch (same epochs and seed)", baseline, scratchTest));
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Distillation gain on the test split: {(studentTest - scratchTest) * 100:+0.00;-0.00} percentage points.");
        }
        return new StageResult([new Artifact(ArtifactKind.TorchModel, directory)], metrics, report.ToString());
    }

    private static string Row(string name, TrainingSummary summary, double test) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {summary.Epochs} | {summary.FinalTrainLoss:0.0000} | {summary.ValidationAccuracy * 100:0.00}% | {test * 100:0.00}% | {summary.Elapsed.TotalSeconds:0.0} |");

    private static IProgress<EpochReport> EpochProgress(StageContext context, string label, int run, int runs) =>
        new EpochReporter(e => context.Progress.Report(new StageProgress(
            string.Create(CultureInfo.InvariantCulture, $"{label} epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.0000} val acc {e.ValidationAccuracy:0.0000}"),
            (run + ((double)e.Epoch / e.Epochs)) / runs,
            e.Remaining + (run + 1 < runs ? e.Elapsed + e.Remaining : TimeSpan.Zero))));

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
        new(settings.Temperature, settings.Alpha, settings.MethodParameters);

    private sealed class EpochReporter(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}

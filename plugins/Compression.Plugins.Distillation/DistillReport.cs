using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Statistics;

namespace Compression.Plugins.Distillation;

/// <summary>
/// The distill stage's result: the shipped student's artifact and metrics, the report section with a
/// row per trained student, the auto search's candidates, and the KD gain with its interval.
/// </summary>
internal static class DistillReport
{
    public static StageResult Result(
        StageContext context, DistillSettings settings, Candidate chosen, List<CandidateResult> searched, long parameters, string directory,
        List<RunOutcome> distilled, List<RunOutcome> scratch, List<RunOutcome> runs, LabelledData trainingSet, CancellationToken cancellationToken)
    {
        RunOutcome shipped = distilled[0];
        var metrics = new List<Metric>
        {
            new(MetricNames.StudentParameters, parameters, "count"),
            new("distill.validation_accuracy", shipped.Summary.ValidationAccuracy, "ratio"),
            new("distill.student_test_accuracy", shipped.TestAccuracy, "ratio"),
            new("distill.seconds", distilled.Sum(r => r.Summary.Elapsed.TotalSeconds), "s"),
            new("distill.training_rows", trainingSet.Count, "count"),
            new("distill.labelled_rows", context.Data.Train.Count, "count"),
        };
        if (shipped.TeacherShare is double share)
        {
            metrics.Add(new Metric("distill.teacher_time_share", share, "ratio"));
        }
        var report = new StringBuilder();
        if (searched.Count > 0)
        {
            CandidateSearch.AppendReport(report, searched, chosen);
            metrics.Add(new Metric("distill.auto.scratch_validation_accuracy", searched.Single(c => c.Candidate.IsScratch).Outcome.Summary.ValidationAccuracy, "ratio"));
        }
        if (chosen.IsScratch)
        {
            report.AppendLine("`auto` chose training without the teacher: no candidate that distils did better on the validation split.");
            report.AppendLine();
        }
        string generations = settings.Generations > 1 && !chosen.IsScratch ? $", the last of {settings.Generations} Born-Again generations" : "";
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Training: `{chosen.Label}`, teacher {settings.TeacherMode}, {context.Teachers.Count} teacher(s); {trainingSet.Count:N0} training samples, {context.Data.Train.Count:N0} of them labelled. The shipped student is the one of seed {context.Seed}{generations}.");
        report.AppendLine();
        report.AppendLine("| run | epochs | steps | final train loss | validation accuracy | test accuracy | seconds | teacher share |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (RunOutcome run in chosen.IsScratch ? runs : runs.Concat(scratch))
        {
            report.AppendLine(Row(run));
        }
        AppendLossTerms(report, shipped);
        string? summaryNote = null;
        if (scratch.Count > 0)
        {
            double scratchMean = scratch.Average(r => r.TestAccuracy);
            double distilledMean = distilled.Average(r => r.TestAccuracy);
            double teacherAccuracy = TeacherTestAccuracy(context, cancellationToken);
            double? gap = teacherAccuracy > scratchMean ? (distilledMean - scratchMean) / (teacherAccuracy - scratchMean) : null;
            GainInterval gain = GainReport.Interval(distilled, scratch, context.Seed);
            metrics.Add(new Metric(MetricNames.ScratchAccuracy, scratchMean, "ratio"));
            metrics.AddRange(GainReport.Metrics(gain, gap, settings.Repeats));
            GainReport.Append(report, gain, gap, teacherAccuracy, scratchMean, settings.Repeats);
            summaryNote = GainReport.SummaryLine(gain, gap, settings.Repeats);
            context.Progress.Report(new StageProgress($"KD gain {gain.Describe()}", 1, TimeSpan.Zero));
        }
        return new StageResult([new Artifact(ArtifactKind.TorchModel, directory)], metrics, report.ToString()) { SummaryNote = summaryNote };
    }

    /// <summary>The shipped run's loss terms per epoch, when its method names more than one.</summary>
    private static void AppendLossTerms(StringBuilder report, RunOutcome shipped)
    {
        var epochs = shipped.Summary.TermsPerEpoch;
        if (epochs.Count == 0 || epochs[0].Count < 2)
        {
            return;
        }
        string[] names = epochs[0].Select(t => t.Key).ToArray();
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Loss terms per epoch ({shipped.Label}; means over the epoch's batches, each as weighted in the sum):");
        report.AppendLine();
        report.AppendLine($"| epoch | {string.Join(" | ", names)} |");
        report.AppendLine($"| ---: |{string.Concat(names.Select(_ => " ---: |"))}");
        for (int i = 0; i < epochs.Count; i++)
        {
            var values = epochs[i].ToDictionary(t => t.Key, t => t.Value);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1} | {string.Join(" | ", names.Select(n => values.TryGetValue(n, out double v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-"))} |");
        }
    }

    private static double TeacherTestAccuracy(StageContext context, CancellationToken cancellationToken)
    {
        float[] logits = context.Teacher.GetLogitsAsync(DataSplit.Test, cancellationToken).GetAwaiter().GetResult();
        return Compression.Models.Evaluation.ClassifierEvaluator.Accuracy(logits, context.Data.Test.Labels, context.Data.ClassCount);
    }

    private static string Row(RunOutcome run) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {run.Label} | {run.Summary.Epochs} | {run.Summary.Steps} | {run.Summary.FinalTrainLoss:0.0000} | {run.Summary.ValidationAccuracy * 100:0.00}% | {run.TestAccuracy * 100:0.00}% | {run.Summary.Elapsed.TotalSeconds:0.0} | {(run.TeacherShare is double s ? $"{s * 100:0}%" : "-")} |");
}

using Compression.Abstractions.Metrics;
using Compression.Core.Diagnostics;

namespace Compression.Core.Gate;

/// <summary>The budgets with fields of their own, in the order they are checked and reported.</summary>
internal static class NamedBudgets
{
    private const string AddBenchmark = "add a 'benchmark' stage that measures that batch size";

    public static IReadOnlyList<NamedBudget> All { get; } =
    [
        new("minAccuracyRetention", b => b.MinAccuracyRetention, _ => MetricNames.AccuracyRetention, true, ErrorCodes.RetentionBelowBudget,
            (m, _, a, l) => $"accuracy retention {F(a)} is below the budget {F(l)} (student {Pct(m[MetricNames.StudentAccuracy])} vs teacher {Pct(m[MetricNames.TeacherAccuracy])})",
            "the pipeline evaluates accuracy itself; this is a bug"),
        new("maxAccuracyDropPoints", b => b.MaxAccuracyDropPoints, _ => MetricNames.AccuracyDropPoints, false, ErrorCodes.AccuracyDropAboveBudget,
            (_, _, a, l) => $"accuracy drop {F(a)} points is above the budget {F(l)} points",
            "the pipeline evaluates accuracy itself; this is a bug"),
        new("minRecallAt10Retention", b => b.MinRecallAt10Retention, _ => Evaluation.EmbeddingEvaluator.RecallAt10Retention, true, ErrorCodes.RecallRetentionBelowBudget,
            (m, _, a, l) => $"recall@10 retention {F(a)} is below the budget {F(l)} (student {Pct(m[Evaluation.EmbeddingEvaluator.StudentRecallAt10])} vs teacher {Pct(m[Evaluation.EmbeddingEvaluator.TeacherRecallAt10])} on the test pairs)",
            "the embedding task's evaluation measures recall itself; this is a bug"),
        new("maxP95LatencyMs", b => b.MaxP95LatencyMs, b => MetricNames.Latency("student", 95, b.LatencyBatchSize), false, ErrorCodes.LatencyAboveBudget,
            (_, b, a, l) => $"student p95 latency {F(a)} ms at batch {b.LatencyBatchSize} is above the budget {F(l)} ms",
            AddBenchmark, "add a 'benchmark' stage, which measures latency"),
        new("minSpeedup", b => b.MinSpeedup, b => MetricNames.Speedup(b.SpeedupBatchSize), true, ErrorCodes.SpeedupBelowBudget,
            (_, b, a, l) => $"speedup {F(a)}x over the teacher at batch {b.SpeedupBatchSize} is below the budget {F(l)}x",
            AddBenchmark, "add a 'benchmark' stage, which measures the speedup over the teacher"),
        new("maxModelBytes", b => b.MaxModelBytes, _ => MetricNames.StudentModelBytes, false, ErrorCodes.ModelBytesAboveBudget,
            (_, _, a, l) => $"student model is {a:N0} bytes, above the budget {l:N0} bytes",
            "the pipeline measures the final model itself; this is a bug"),
        new("maxEce", b => b.MaxEce, _ => MetricNames.StudentEce, false, ErrorCodes.CalibrationErrorAboveBudget,
            (_, _, a, l) => $"student expected calibration error {a:0.0000} is above the budget {l:0.0000}: add a 'calibrate' stage after 'export', or relax the budget",
            "the pipeline evaluates calibration itself; this is a bug"),
        new("maxNll", b => b.MaxNll, _ => MetricNames.StudentNll, false, ErrorCodes.NllAboveBudget,
            (_, _, a, l) => $"student test NLL {a:0.0000} is above the budget {l:0.0000}: the model is too sure of its mistakes (a 'calibrate' stage may help)",
            "the pipeline evaluates the NLL itself; this is a bug"),
        new("minDistillationGainPoints", b => b.MinDistillationGainPoints, _ => MetricNames.DistillationGainLowPoints, true, ErrorCodes.DistillationGainBelowBudget,
            (m, _, a, l) => $"the KD gain's 95% interval starts at {a:+0.00;-0.00} points (gain {m[MetricNames.DistillationGainPoints]:+0.00;-0.00}, n={m[MetricNames.DistillationGainRepeats]}), below the budget {l:+0.00;-0.00} points: distillation did not reliably beat training the student from scratch",
            "set \"compareWithScratch\": true or \"repeats\" in the 'distill' stage's settings",
            "add a 'distill' stage with \"compareWithScratch\": true or \"repeats\" of 2 or more, which measures the gain over scratch"),
        new("maxParams", b => b.MaxParams, _ => MetricNames.StudentParameters, false, ErrorCodes.ParametersAboveBudget,
            (_, _, a, l) => $"student has {a:N0} parameters, above the budget {l:N0}: prune it (a 'prune' stage with targetParamsRatio) or choose a smaller student",
            "the pipeline counts the final model's parameters itself; this is a bug"),
        new("maxFlops", b => b.MaxFlops, _ => MetricNames.StudentFlops, false, ErrorCodes.FlopsAboveBudget,
            (_, _, a, l) => $"student needs {a:N0} multiply-adds per sample, above the budget {l:N0}: prune it (a 'prune' stage with targetFlopsRatio) or choose a smaller student",
            "the final model's graph has an operator the FLOPs count does not know, so its FLOPs are unknown"),
    ];

    private static string F(double value) => MetricSet.Format(value);

    private static string Pct(double? value) => value is double v ? $"{v * 100:0.00}%" : "n/a";
}

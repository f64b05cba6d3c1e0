using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Gate;

/// <summary>
/// Checks the run's metrics against the budgets in compression.json. Each miss is an error at the
/// budget's own line, so an IDE or a GitHub annotation points at the number to change.
/// </summary>
public static class BudgetEvaluator
{
    /// <param name="budgets">The configured budgets.</param>
    /// <param name="metrics">The run's metrics.</param>
    /// <param name="locations">Where each budget is in compression.json.</param>
    /// <param name="verdicts">When given, receives every configured budget's verdict, passed or not.</param>
    public static IReadOnlyList<Finding> Evaluate(BudgetsConfig budgets, MetricSet metrics, JsonLocationIndex locations, List<BudgetVerdict>? verdicts = null)
    {
        var findings = new List<Finding>();
        void Check(double? budget, string field, string metricName, bool higherIsBetter, string code, Func<double, double, string> describe, string needs)
        {
            if (budget is not double limit)
            {
                return;
            }
            var location = locations.Locate($"budgets.{field}");
            if (metrics[metricName] is not double actual)
            {
                verdicts?.Add(new BudgetVerdict(field, metricName, limit, null, higherIsBetter, false, location));
                findings.Add(metrics.Reported(metricName) is Metric notFinite
                    ? new Finding(Severity.Error, code,
                        $"budget '{field}' is not met: the metric '{metricName}' came out {(double.IsNaN(notFinite.Value) ? "NaN" : "infinite")}, so the student cannot be shown to meet it", location)
                    : new Finding(Severity.Error, ErrorCodes.BudgetNeedsMetric,
                        $"budget '{field}' needs the metric '{metricName}', which no stage reported: {needs}", location));
                return;
            }
            bool missed = higherIsBetter ? actual < limit : actual > limit;
            verdicts?.Add(new BudgetVerdict(field, metricName, limit, actual, higherIsBetter, !missed, location));
            if (missed)
            {
                findings.Add(new Finding(Severity.Error, code, describe(actual, limit), location));
            }
        }

        string F(double v) => MetricSet.Format(v);
        const string AddBenchmark = "add a 'benchmark' stage that measures that batch size";
        Check(budgets.MinAccuracyRetention, "minAccuracyRetention", MetricNames.AccuracyRetention, true, ErrorCodes.RetentionBelowBudget,
            (a, l) => $"accuracy retention {F(a)} is below the budget {F(l)} (student {Pct(metrics[MetricNames.StudentAccuracy])} vs teacher {Pct(metrics[MetricNames.TeacherAccuracy])})",
            "the pipeline evaluates accuracy itself; this is a bug");
        Check(budgets.MaxAccuracyDropPoints, "maxAccuracyDropPoints", MetricNames.AccuracyDropPoints, false, ErrorCodes.AccuracyDropAboveBudget,
            (a, l) => $"accuracy drop {F(a)} points is above the budget {F(l)} points",
            "the pipeline evaluates accuracy itself; this is a bug");
        string latency = MetricNames.Latency("student", 95, budgets.LatencyBatchSize);
        Check(budgets.MaxP95LatencyMs, "maxP95LatencyMs", latency, false, ErrorCodes.LatencyAboveBudget,
            (a, l) => $"student p95 latency {F(a)} ms at batch {budgets.LatencyBatchSize} is above the budget {F(l)} ms", AddBenchmark);
        string speedup = MetricNames.Speedup(budgets.SpeedupBatchSize);
        Check(budgets.MinSpeedup, "minSpeedup", speedup, true, ErrorCodes.SpeedupBelowBudget,
            (a, l) => $"speedup {F(a)}x over the teacher at batch {budgets.SpeedupBatchSize} is below the budget {F(l)}x", AddBenchmark);
        Check(budgets.MaxModelBytes, "maxModelBytes", MetricNames.StudentModelBytes, false, ErrorCodes.ModelBytesAboveBudget,
            (a, l) => $"student model is {a:N0} bytes, above the budget {l:N0} bytes",
            "the pipeline measures the final model itself; this is a bug");
        Check(budgets.MaxEce, "maxEce", MetricNames.StudentEce, false, ErrorCodes.CalibrationErrorAboveBudget,
            (a, l) => $"student expected calibration error {a:0.0000} is above the budget {l:0.0000}: add a 'calibrate' stage after 'export', or relax the budget",
            "the pipeline evaluates calibration itself; this is a bug");
        Check(budgets.MaxNll, "maxNll", MetricNames.StudentNll, false, ErrorCodes.NllAboveBudget,
            (a, l) => $"student test NLL {a:0.0000} is above the budget {l:0.0000}: the model is too sure of its mistakes (a 'calibrate' stage may help)",
            "the pipeline evaluates the NLL itself; this is a bug");
        Check(budgets.MinDistillationGainPoints, "minDistillationGainPoints", MetricNames.DistillationGainLowPoints, true, ErrorCodes.DistillationGainBelowBudget,
            (a, l) => $"the KD gain's 95% interval starts at {a:+0.00;-0.00} points (gain {metrics[MetricNames.DistillationGainPoints]:+0.00;-0.00}, n={metrics[MetricNames.DistillationGainRepeats]}), below the budget {l:+0.00;-0.00} points: distillation did not reliably beat training the student from scratch",
            "set \"compareWithScratch\": true or \"repeats\" in the 'distill' stage's settings");
        Check(budgets.MaxParams, "maxParams", MetricNames.StudentParameters, false, ErrorCodes.ParametersAboveBudget,
            (a, l) => $"student has {a:N0} parameters, above the budget {l:N0}: prune it (a 'prune' stage with targetParamsRatio) or choose a smaller student",
            "the pipeline counts the final model's parameters itself; this is a bug");
        Check(budgets.MaxFlops, "maxFlops", MetricNames.StudentFlops, false, ErrorCodes.FlopsAboveBudget,
            (a, l) => $"student needs {a:N0} multiply-adds per sample, above the budget {l:N0}: prune it (a 'prune' stage with targetFlopsRatio) or choose a smaller student",
            "the final model's graph has an operator the FLOPs count does not know, so its FLOPs are unknown");
        return findings;
    }

    private static string Pct(double? value) => value is double v ? $"{v * 100:0.00}%" : "n/a";
}

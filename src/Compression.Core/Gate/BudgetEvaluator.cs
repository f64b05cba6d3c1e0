using System.Globalization;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Targets;

namespace Compression.Core.Gate;

/// <summary>
/// Checks the run's metrics against the budgets in compression.json: the named ones (each an alias of
/// a budget on one metric, with its own code and message) and the generic <c>budgets.metrics</c>
/// entries (CMP3020, worded from the metric's descriptor). Each miss is an error at the budget's own
/// line, so an IDE or a GitHub annotation points at the number to change.
/// </summary>
public static class BudgetEvaluator
{
    /// <summary>One limit on one metric, wherever it was configured.</summary>
    /// <param name="Budget">How messages name it: the field (<c>minSpeedup</c>) or the entry (<c>metrics[0].max</c>).</param>
    /// <param name="Verdict">How the verdict tables name it: the field, or the generic budget's metric.</param>
    private sealed record Check(string Budget, string Verdict, string ConfigPath, string Metric, double Limit, bool AtLeast, string Code, Func<double, double, string> Describe, string NotReported);

    /// <param name="budgets">The configured budgets.</param>
    /// <param name="metrics">The run's metrics.</param>
    /// <param name="locations">Where each budget is in compression.json.</param>
    /// <param name="verdicts">When given, receives every configured budget's verdict, passed or not.</param>
    /// <param name="catalog">The plan's metric descriptors, for the generic budgets' messages; null words them with the metric's name.</param>
    public static IReadOnlyList<Finding> Evaluate(BudgetsConfig budgets, MetricSet metrics, JsonLocationIndex locations, List<BudgetVerdict>? verdicts = null, MetricCatalog? catalog = null)
    {
        var findings = new List<Finding>();
        foreach (Check check in Checks(budgets, metrics, catalog))
        {
            var location = locations.Locate(check.ConfigPath);
            if (metrics[check.Metric] is not double actual)
            {
                verdicts?.Add(new BudgetVerdict(check.Verdict, check.Metric, check.Limit, null, check.AtLeast, false, location));
                findings.Add(metrics.Reported(check.Metric) is Metric notFinite
                    ? new Finding(Severity.Error, check.Code,
                        $"budget '{check.Budget}' is not met: the metric '{check.Metric}' came out {(double.IsNaN(notFinite.Value) ? "NaN" : "infinite")}, so the student cannot be shown to meet it", location)
                    : new Finding(Severity.Error, ErrorCodes.BudgetNeedsMetric,
                        $"budget '{check.Budget}' needs the metric '{check.Metric}', which no stage reported: {check.NotReported}", location));
                continue;
            }
            bool missed = check.AtLeast ? actual < check.Limit : actual > check.Limit;
            verdicts?.Add(new BudgetVerdict(check.Verdict, check.Metric, check.Limit, actual, check.AtLeast, !missed, location));
            if (missed)
            {
                findings.Add(new Finding(Severity.Error, check.Code, check.Describe(actual, check.Limit), location));
            }
        }
        return findings;
    }

    private static IEnumerable<Check> Checks(BudgetsConfig budgets, MetricSet metrics, MetricCatalog? catalog)
    {
        foreach (NamedBudget named in NamedBudgets.All)
        {
            if (named.Limit(budgets) is double limit)
            {
                yield return new Check(named.Field, named.Field, $"budgets.{named.Field}", named.Metric(budgets), limit, named.AtLeast, named.Code,
                    (a, l) => named.Describe(metrics, budgets, a, l), named.NotReported);
            }
        }
        foreach (Check check in TargetChecks(budgets))
        {
            yield return check;
        }
        var entries = budgets.Metrics ?? [];
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Metric is not string name)
            {
                continue;
            }
            MetricDescriptor descriptor = catalog?.Find(name) ?? new MetricDescriptor(name, metrics.Reported(name)?.Unit ?? "", MetricDirection.Neither, name);
            const string NotReported = "a planned stage described it but did not report it; that stage's report may say why";
            if (entries[i].Min is double min)
            {
                yield return new Check($"metrics[{i}].min", name, $"budgets.metrics[{i}].min", name, min, true, ErrorCodes.MetricBudgetMissed,
                    (a, l) => Describe(descriptor, a, "below the budget's minimum", l), NotReported);
            }
            if (entries[i].Max is double max)
            {
                yield return new Check($"metrics[{i}].max", name, $"budgets.metrics[{i}].max", name, max, false, ErrorCodes.MetricBudgetMissed,
                    (a, l) => Describe(descriptor, a, "above the budget's maximum", l), NotReported);
            }
        }
    }

    /// <summary>The budgets of <c>budgets.targets</c>: each at its own line, worded with the target's name.</summary>
    private static IEnumerable<Check> TargetChecks(BudgetsConfig budgets)
    {
        const string NotReported = "the target's benchmark did not report it (peak memory is not measured under emulation)";
        foreach (var (name, target) in budgets.Targets ?? [])
        {
            string at = $"budgets.targets.{name}";
            int latencyBatch = target.LatencyBatchSize, speedupBatch = target.SpeedupBatchSize;
            if (target.MaxP95LatencyMs is double p95)
            {
                yield return new Check($"targets.{name}.maxP95LatencyMs", $"{name}.maxP95LatencyMs", $"{at}.maxP95LatencyMs", TargetMetrics.Latency(name, "student", 95, latencyBatch), p95, false,
                    ErrorCodes.TargetLatencyAboveBudget, (a, l) => $"target '{name}': student p95 latency {MetricSet.Format(a)} ms at batch {latencyBatch} is above the budget {MetricSet.Format(l)} ms", NotReported);
            }
            if (target.MaxP50LatencyMs is double p50)
            {
                yield return new Check($"targets.{name}.maxP50LatencyMs", $"{name}.maxP50LatencyMs", $"{at}.maxP50LatencyMs", TargetMetrics.Latency(name, "student", 50, latencyBatch), p50, false,
                    ErrorCodes.TargetLatencyAboveBudget, (a, l) => $"target '{name}': student p50 latency {MetricSet.Format(a)} ms at batch {latencyBatch} is above the budget {MetricSet.Format(l)} ms", NotReported);
            }
            if (target.MinSpeedup is double speedup)
            {
                yield return new Check($"targets.{name}.minSpeedup", $"{name}.minSpeedup", $"{at}.minSpeedup", TargetMetrics.Speedup(name, speedupBatch), speedup, true,
                    ErrorCodes.TargetSpeedupBelowBudget, (a, l) => $"target '{name}': speedup {MetricSet.Format(a)}x over the teacher at batch {speedupBatch} is below the budget {MetricSet.Format(l)}x", NotReported);
            }
            if (target.MaxMemoryBytes is double memory)
            {
                yield return new Check($"targets.{name}.maxMemoryBytes", $"{name}.maxMemoryBytes", $"{at}.maxMemoryBytes", TargetMetrics.PeakMemory(name, "student"), memory, false,
                    ErrorCodes.TargetMemoryAboveBudget, (a, l) => string.Create(CultureInfo.InvariantCulture, $"target '{name}': student peak memory {a:N0} bytes is above the budget {l:N0} bytes"), NotReported);
            }
        }
    }

    /// <summary>"student p50 latency, batch 1 is 2.31 ms, above the budget's maximum 2 ms (metric '...', lower is better)".</summary>
    private static string Describe(MetricDescriptor metric, double actual, string relation, double limit)
    {
        string unit = metric.Unit.Length == 0 ? "" : " " + metric.Unit;
        string direction = metric.Direction switch
        {
            MetricDirection.HigherIsBetter => ", higher is better",
            MetricDirection.LowerIsBetter => ", lower is better",
            _ => "",
        };
        return $"{metric.Label} is {Format(metric, actual)}{unit}, {relation} {MetricSet.FormatLimit(limit, metric.Format)}{unit} (metric '{metric.Name}'{direction})";
    }

    private static string Format(MetricDescriptor metric, double value) =>
        metric.Format is string format ? value.ToString(format, CultureInfo.InvariantCulture) : MetricSet.Format(value);
}

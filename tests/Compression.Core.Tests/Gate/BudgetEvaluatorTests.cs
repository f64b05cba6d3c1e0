using System.Text;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BudgetEvaluatorTests
{
    private const string Json = """
        {
          "budgets": {
            "minAccuracyRetention": 0.98,
            "maxP95LatencyMs": 2,
            "maxModelBytes": 1000
          }
        }
        """;

    private static JsonLocationIndex Locations() => JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes(Json));

    private static MetricSet Metrics(double retention, double p95, double bytes)
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.AccuracyRetention, retention));
        metrics.Add(new Metric(MetricNames.TeacherAccuracy, 0.98));
        metrics.Add(new Metric(MetricNames.StudentAccuracy, 0.98 * retention));
        metrics.Add(new Metric(MetricNames.Latency("student", 95, 1), p95));
        metrics.Add(new Metric(MetricNames.StudentModelBytes, bytes));
        return metrics;
    }

    private static BudgetsConfig Budgets() => new() { MinAccuracyRetention = 0.98, MaxP95LatencyMs = 2, MaxModelBytes = 1000 };

    [Fact]
    public void Retention_below_budget_fails_with_CMP3001_at_the_budget_line()
    {
        var findings = BudgetEvaluator.Evaluate(Budgets(), Metrics(0.962, 1, 500), Locations());
        var finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.RetentionBelowBudget, finding.Code);
        Assert.StartsWith("accuracy retention 0.962 is below the budget 0.98", finding.Message);
        Assert.Equal("/app/compression.json(3,5): error CMP3001: " + finding.Message, finding.ToCanonicalString());
    }

    [Fact]
    public void Parameters_and_flops_above_their_budgets_fail_with_their_own_codes_at_their_lines()
    {
        const string json = """
            {
              "budgets": {
                "maxParams": 1000,
                "maxFlops": 50000
              }
            }
            """;
        var locations = JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes(json));
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.StudentParameters, 1200));
        metrics.Add(new Metric(MetricNames.StudentFlops, 60000));

        var findings = BudgetEvaluator.Evaluate(new BudgetsConfig { MaxParams = 1000, MaxFlops = 50000 }, metrics, locations);

        Assert.Equal(["CMP3009", "CMP3010"], findings.Select(f => f.Code));
        Assert.StartsWith("student has 1,200 parameters, above the budget 1,000", findings[0].Message);
        Assert.StartsWith("student needs 60,000 multiply-adds per sample, above the budget 50,000", findings[1].Message);
        Assert.Equal([3, 4], findings.Select(f => f.Location!.Line));

        var within = new MetricSet();
        within.Add(new Metric(MetricNames.StudentParameters, 1000));
        within.Add(new Metric(MetricNames.StudentFlops, 50000));
        Assert.Empty(BudgetEvaluator.Evaluate(new BudgetsConfig { MaxParams = 1000, MaxFlops = 50000 }, within, locations));
    }

    [Fact]
    public void Budgets_that_hold_give_no_findings()
    {
        Assert.Empty(BudgetEvaluator.Evaluate(Budgets(), Metrics(0.99, 1.9, 1000), Locations()));
    }

    [Fact]
    public void Latency_and_size_misses_are_reported_together()
    {
        var codes = BudgetEvaluator.Evaluate(Budgets(), Metrics(0.99, 2.5, 1001), Locations()).Select(f => f.Code);
        Assert.Equal([ErrorCodes.LatencyAboveBudget, ErrorCodes.ModelBytesAboveBudget], codes);
    }

    [Fact]
    public void A_latency_budget_without_a_benchmark_says_what_to_add()
    {
        var metrics = Metrics(0.99, 1, 500);
        var budgets = new BudgetsConfig { MaxP95LatencyMs = 2, LatencyBatchSize = 8 };
        var finding = Assert.Single(BudgetEvaluator.Evaluate(budgets, metrics, Locations()));
        Assert.Equal(ErrorCodes.BudgetNeedsMetric, finding.Code);
        Assert.Contains("student.latency.p95_ms.batch8", finding.Message);
        Assert.Contains("benchmark", finding.Message);
    }

    [Fact]
    public void Warn_only_turns_budget_misses_into_warnings_in_canonical_form()
    {
        var finding = BudgetEvaluator.Evaluate(Budgets(), Metrics(0.9, 1, 500), Locations())[0];
        Assert.Contains(": warning CMP3001: ", finding.ToCanonicalString(budgetMissesAsWarnings: true));
    }

    [Fact]
    public void Warn_only_leaves_config_and_data_errors_errors()
    {
        var configError = new Finding(Severity.Error, ErrorCodes.InvalidValue, "'seed' must be a number", null);
        var dataError = new Finding(Severity.Error, ErrorCodes.DataInvalid, "train.csv: no rows", null);

        Assert.Contains(": error CMP1004: ", configError.ToCanonicalString(budgetMissesAsWarnings: true));
        Assert.Contains(": error CMP2001: ", dataError.ToCanonicalString(budgetMissesAsWarnings: true));
    }

    /// <summary>Issue 12: a metric that came out NaN is not "unreported" (CMP1010, "a bug"): the budget on it is missed, with its own code.</summary>
    [Fact]
    public void A_budget_on_a_metric_that_came_out_nan_or_infinite_is_missed_with_its_own_code()
    {
        var findings = BudgetEvaluator.Evaluate(Budgets(), Metrics(double.NaN, double.PositiveInfinity, 500), Locations());

        Assert.Equal([ErrorCodes.RetentionBelowBudget, ErrorCodes.LatencyAboveBudget], findings.Select(f => f.Code));
        Assert.Equal($"budget 'minAccuracyRetention' is not met: the metric '{MetricNames.AccuracyRetention}' came out NaN, so the student cannot be shown to meet it", findings[0].Message);
        Assert.Equal($"budget 'maxP95LatencyMs' is not met: the metric '{MetricNames.Latency("student", 95, 1)}' came out infinite, so the student cannot be shown to meet it", findings[1].Message);
        Assert.Equal((3, 5), (findings[0].Location!.Line, findings[0].Location!.Column));
    }

    [Fact]
    public void A_generic_budget_on_a_metric_that_came_out_nan_is_missed_and_one_not_reported_is_CMP1010()
    {
        const string json = """
            {
              "budgets": {
                "metrics": [
                  { "metric": "speedup.batch1", "min": 2 },
                  { "metric": "speedup.batch64", "min": 2, "max": 50 }
                ]
              }
            }
            """;
        var locations = JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes(json));
        var budgets = new BudgetsConfig { Metrics = [new() { Metric = "speedup.batch1", Min = 2 }, new() { Metric = "speedup.batch64", Min = 2, Max = 50 }] };
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.Speedup(1), double.NaN, "x"));

        var findings = BudgetEvaluator.Evaluate(budgets, metrics, locations);

        Assert.Equal([ErrorCodes.MetricBudgetMissed, ErrorCodes.BudgetNeedsMetric, ErrorCodes.BudgetNeedsMetric], findings.Select(f => f.Code));
        Assert.Equal("budget 'metrics[0].min' is not met: the metric 'speedup.batch1' came out NaN, so the student cannot be shown to meet it", findings[0].Message);
        Assert.StartsWith("budget 'metrics[1].min' needs the metric 'speedup.batch64', which no stage reported", findings[1].Message);
        Assert.Equal([4, 5, 5], findings.Select(f => f.Location!.Line));
    }

    [Fact]
    public void A_generic_budget_within_its_limits_passes_and_one_past_its_minimum_is_CMP3020()
    {
        var budgets = new BudgetsConfig { Metrics = [new() { Metric = "speedup.batch1", Min = 2, Max = 10 }] };
        var fast = new MetricSet();
        fast.Add(new Metric(MetricNames.Speedup(1), 3, "x"));
        var slow = new MetricSet();
        slow.Add(new Metric(MetricNames.Speedup(1), 1.5, "x"));

        Assert.Empty(BudgetEvaluator.Evaluate(budgets, fast, Locations()));
        var finding = Assert.Single(BudgetEvaluator.Evaluate(budgets, slow, Locations()));
        Assert.Equal(ErrorCodes.MetricBudgetMissed, finding.Code);
        Assert.Equal("speedup.batch1 is 1.5 x, below the budget's minimum 2 x (metric 'speedup.batch1')", finding.Message);
    }
}

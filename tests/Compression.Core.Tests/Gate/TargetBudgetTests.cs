using System.Text;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

/// <summary>budgets.targets: each limit judges its target's metric and a miss is an error at the limit's own line.</summary>
public class TargetBudgetTests
{
    private const string Json = """
        {
          "budgets": {
            "targets": {
              "edge": { "maxP95LatencyMs": 5, "minSpeedup": 2,
                        "maxMemoryBytes": 1000, "latencyBatchSize": 8 }
            }
          }
        }
        """;

    private static readonly BudgetsConfig s_budgets = new()
    {
        Targets = new() { ["edge"] = new TargetBudgetsConfig { MaxP95LatencyMs = 5, MinSpeedup = 2, MaxMemoryBytes = 1000, LatencyBatchSize = 8 } },
    };

    private static MetricSet Metrics(double p95, double speedup, double? memory)
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric("edge.student.latency.p95_ms.batch8", p95));
        metrics.Add(new Metric("edge.speedup.batch1", speedup));
        if (memory is double m)
        {
            metrics.Add(new Metric("edge.student.memory_bytes", m));
        }
        // The build machine's own figures do not count for the target.
        metrics.Add(new Metric("student.latency.p95_ms.batch8", 0.1));
        return metrics;
    }

    private static IReadOnlyList<Finding> Evaluate(MetricSet metrics, List<BudgetVerdict>? verdicts = null) =>
        BudgetEvaluator.Evaluate(s_budgets, metrics, JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes(Json)), verdicts);

    [Fact]
    public void Budgets_met_on_the_target_pass_with_a_verdict_each()
    {
        var verdicts = new List<BudgetVerdict>();
        Assert.Empty(Evaluate(Metrics(4.9, 2.5, 900), verdicts));
        Assert.Equal(["edge.student.latency.p95_ms.batch8", "edge.speedup.batch1", "edge.student.memory_bytes"], verdicts.Select(v => v.Metric));
        Assert.All(verdicts, v => Assert.True(v.Passed));
    }

    [Fact]
    public void Latency_above_the_targets_budget_fails_with_CMP3012_at_its_line()
    {
        Finding finding = Assert.Single(Evaluate(Metrics(7.25, 2.5, 900)));
        Assert.Equal("/app/compression.json(4,17): error CMP3012: target 'edge': student p95 latency 7.25 ms at batch 8 is above the budget 5 ms", finding.ToCanonicalString());
    }

    [Fact]
    public void Speedup_and_memory_misses_have_their_own_codes_and_lines()
    {
        var findings = Evaluate(Metrics(1, 1.5, 4096));
        Assert.Equal([ErrorCodes.TargetSpeedupBelowBudget, ErrorCodes.TargetMemoryAboveBudget], findings.Select(f => f.Code));
        Assert.Equal("target 'edge': speedup 1.5x over the teacher at batch 1 is below the budget 2x", findings[0].Message);
        Assert.Equal(5, findings[1].Location!.Line);
    }

    [Fact]
    public void A_budget_on_memory_the_target_did_not_measure_says_why()
    {
        Finding finding = Assert.Single(Evaluate(Metrics(1, 3, null)));
        Assert.Equal(ErrorCodes.BudgetNeedsMetric, finding.Code);
        Assert.Contains("not measured under emulation", finding.Message);
    }
}

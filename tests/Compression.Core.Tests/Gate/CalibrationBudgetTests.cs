using System.Text;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class CalibrationBudgetTests
{
    private static readonly JsonLocationIndex s_locations = JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes("{\n  \"budgets\": {\n    \"maxEce\": 0.02\n  }\n}"));

    [Fact]
    public void Ece_above_budget_fails_with_CMP3006_at_the_budget_line()
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.StudentEce, 0.035));
        var finding = Assert.Single(BudgetEvaluator.Evaluate(new BudgetsConfig { MaxEce = 0.02 }, metrics, s_locations));
        Assert.Equal(ErrorCodes.CalibrationErrorAboveBudget, finding.Code);
        Assert.Equal(3, finding.Location!.Line);
        Assert.StartsWith("student expected calibration error 0.0350 is above the budget 0.0200", finding.Message);
    }

    [Fact]
    public void Ece_within_budget_passes()
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.StudentEce, 0.01));
        Assert.Empty(BudgetEvaluator.Evaluate(new BudgetsConfig { MaxEce = 0.02 }, metrics, s_locations));
    }

    [Fact]
    public void Nll_above_budget_fails_with_CMP3008_at_the_budget_line()
    {
        var locations = JsonLocationIndex.Build("/app/compression.json", Encoding.UTF8.GetBytes("{\n  \"budgets\": {\n    \"maxNll\": 0.2\n  }\n}"));
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.StudentNll, 0.71));

        var finding = Assert.Single(BudgetEvaluator.Evaluate(new BudgetsConfig { MaxNll = 0.2 }, metrics, locations));

        Assert.Equal(ErrorCodes.NllAboveBudget, finding.Code);
        Assert.Equal(3, finding.Location!.Line);
        Assert.StartsWith("student test NLL 0.7100 is above the budget 0.2000", finding.Message);
    }
}

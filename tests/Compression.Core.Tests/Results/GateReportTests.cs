using Compression.Core.Diagnostics;
using Compression.Core.Gate;
using Compression.Core.Results;

namespace Compression.Core.Tests.Results;

public class GateReportTests
{
    [Fact]
    public void A_generic_budget_is_listed_by_its_metric_with_its_limit_unrounded()
    {
        var verdict = new BudgetVerdict("student.latency.p50_ms.batch1", "student.latency.p50_ms.batch1", 0.0005, 0.014, false, false, new SourceLocation("/app/compression.json", 7, 40));
        var result = new PipelineResult("/app/compression.json", [], [], [], "student.onnx", "teacher.onnx", TimeSpan.Zero) { Budgets = [verdict] };

        string markdown = GateReport.ToMarkdown(result, "/app");

        Assert.Contains("| student.latency.p50_ms.batch1 | <= 0.0005 | 0.014 | **missed** |", markdown, StringComparison.Ordinal);
    }
}

using Compression.Core.Diagnostics;
using Compression.Core.Results;

namespace Compression.Host.Tests;

/// <summary>Issue 12: --warn-only (CompressionFailOnBudget=false) may turn missed budgets into a pass, never a config error.</summary>
public class ExitCodesTests
{
    private static readonly Finding s_missedBudget = new(Severity.Error, ErrorCodes.RetentionBelowBudget, "retention 0.9 is below 0.98", null);
    private static readonly Finding s_unmeasuredBudget = new(Severity.Error, ErrorCodes.BudgetNeedsMetric, "budget 'maxP95LatencyMs' needs a metric no stage reported", null);
    private static readonly Finding s_stageWarning = new(Severity.Warning, "CMP5010", "the int8 model was not shipped", null);

    private static PipelineResult Result(params Finding[] findings) =>
        new("compression.json", [], findings, [], "student.onnx", "teacher.onnx", TimeSpan.Zero);

    [Theory]
    [InlineData(false, ExitCodes.GateFailed)]
    [InlineData(true, ExitCodes.Passed)]
    public void Missed_budgets_fail_the_gate_unless_warn_only(bool warnOnly, int expected)
    {
        Assert.Equal(expected, ExitCodes.Of(Result(s_missedBudget, s_stageWarning), warnOnly));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_config_error_found_after_the_run_is_bad_input_even_with_warn_only(bool warnOnly)
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodes.Of(Result(s_missedBudget, s_unmeasuredBudget), warnOnly));
    }

    [Fact]
    public void Warnings_alone_pass()
    {
        Assert.Equal(ExitCodes.Passed, ExitCodes.Of(Result(s_stageWarning), budgetMissesAsWarnings: false));
    }

    [Fact]
    public void The_summary_says_failed_when_warn_only_cannot_downgrade_an_error()
    {
        var output = new StringWriter();

        new Console.ConsoleReporter(output, budgetMissesAsWarnings: true).Summary(Result(s_missedBudget, s_unmeasuredBudget));

        Assert.StartsWith("compress: FAILED in", output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
    }
}

using Compression.Core.Diagnostics;
using Compression.Core.Results;

namespace Compression.Host.Console;

/// <summary>
/// Everything the user reads, on stdout, in plain lines: progress as <c>compress: ...</c> (the
/// MSBuild task turns those into messages), findings in MSBuild's canonical error format, and the
/// summary table. No spinners or colour codes, so CI logs and MSBuild stay readable.
/// </summary>
/// <param name="output">Where lines go (stdout).</param>
/// <param name="budgetMissesAsWarnings"><c>--warn-only</c>: missed budgets (CMP3xxx) print as warnings; any other error stays an error.</param>
public sealed class ConsoleReporter(TextWriter output, bool budgetMissesAsWarnings) : IProgress<string>
{
    private readonly Lock _gate = new();
    private readonly List<Finding> _reported = [];

    /// <summary>Every finding printed so far, in order (what findings.sarif holds).</summary>
    public IReadOnlyList<Finding> Reported
    {
        get
        {
            lock (_gate)
            {
                return [.. _reported];
            }
        }
    }

    /// <summary><c>--warn-only</c>: missed budgets print as warnings.</summary>
    public bool BudgetMissesAsWarnings => budgetMissesAsWarnings;

    public void Report(string value) => Line($"compress: {value}");

    /// <summary>
    /// Each finding once, in canonical form (MSBuild's own "Build FAILED" summary repeats errors and
    /// warnings at the end, as it does for the compiler's); then, when a missed budget or a regression
    /// fails the run, one line on how to report those as warnings instead.
    /// </summary>
    public void Findings(IEnumerable<Finding> findings)
    {
        bool gateFailed = false;
        foreach (Finding finding in findings)
        {
            lock (_gate)
            {
                _reported.Add(finding);
            }
            Line(finding.ToCanonicalString(budgetMissesAsWarnings));
            gateFailed |= finding.Severity == Severity.Error && finding.IsBudgetMiss;
        }
        if (gateFailed && !budgetMissesAsWarnings)
        {
            Report(DowngradeHint);
        }
    }

    /// <summary>How to turn missed budgets and regressions into warnings, for a build that must not fail on them.</summary>
    public const string DowngradeHint =
        "to report missed budgets and regressions as warnings instead of failing, build with -p:CompressionFailOnBudget=false (or run `compress run --warn-only`); bad input still fails";

    public void Summary(PipelineResult result)
    {
        // Prefixed like progress, so MSBuild shows the table at its default verbosity.
        foreach (string line in SummaryTable.ToText(result))
        {
            Report(line);
        }
        string outcome = result.Passed ? "passed" : ExitCodes.Of(result, budgetMissesAsWarnings) == ExitCodes.Passed ? "budgets missed (reported as warnings)" : "FAILED";
        Line($"compress: {outcome} in {result.Elapsed.TotalSeconds:0.0} s");
    }

    public void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}

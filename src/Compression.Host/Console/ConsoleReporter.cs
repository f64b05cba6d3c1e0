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

    public void Report(string value) => Line($"compress: {value}");

    public void Findings(IEnumerable<Finding> findings)
    {
        foreach (Finding finding in findings)
        {
            Line(finding.ToCanonicalString(budgetMissesAsWarnings));
        }
    }

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

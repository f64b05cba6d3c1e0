using Compression.Core.Diagnostics;
using Compression.Core.Results;

namespace Compression.Host;

/// <summary>What <c>compress</c> exits with; the MSBuild task and CI scripts rely on these.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every budget held.</summary>
    public const int Passed = 0;

    /// <summary>The pipeline ran but a budget or the baseline gate failed.</summary>
    public const int GateFailed = 1;

    /// <summary>Bad input: config, data, teacher or plugin; the message says which file and field.</summary>
    public const int BadInput = 2;

    /// <summary>A bug in compress or a plugin; the stack trace is in compress.log in the work folder.</summary>
    public const int InternalError = 3;

    /// <summary>Cancelled (Ctrl+C); nothing partial was kept.</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// The exit code of a run that finished: <see cref="Passed"/>, <see cref="GateFailed"/> for missed
    /// budgets (CMP3xxx; <see cref="Passed"/> with <c>--warn-only</c>), and <see cref="BadInput"/> when
    /// any other error was found (e.g. CMP1010, a budget no stage measured), with or without <c>--warn-only</c>.
    /// </summary>
    public static int Of(PipelineResult result, bool budgetMissesAsWarnings)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = result.Findings.Where(f => f.Severity == Severity.Error).ToList();
        if (errors.Count == 0)
        {
            return Passed;
        }
        if (errors.Any(f => !f.IsBudgetMiss))
        {
            return BadInput;
        }
        return budgetMissesAsWarnings ? Passed : GateFailed;
    }
}

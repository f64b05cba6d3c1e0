namespace Compression.Abstractions.Diagnostics;

/// <summary>
/// The one diagnostic shape: a problem to show the user (a config error, a data error, a missed budget,
/// a stage's warning), printed in MSBuild's canonical form, written to findings.sarif and read back by
/// the MSBuild task and the GitHub action. A stage reports the same thing relative to its settings
/// (<see cref="Stages.StageWarning"/>, <see cref="Stages.SettingsError"/>, <see cref="Stages.StageException"/>);
/// the host turns those into findings located in compression.json.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">A code from <see cref="ErrorCodes"/>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="Location">Where in compression.json (or in a data file), or null when no place applies.</param>
public sealed record Finding(Severity Severity, string Code, string Message, SourceLocation? Location)
{
    /// <summary>A missed budget or baseline regression (CMP3xxx): the only kind <c>--warn-only</c> may downgrade.</summary>
    public bool IsBudgetMiss => Code.StartsWith("CMP3", StringComparison.Ordinal) && !ErrorCodes.IsGateInputError(Code);

    /// <summary>
    /// MSBuild's canonical form, <c>file(line,col): error CODE: message</c>, which IDEs, MSBuild
    /// and GitHub annotations all understand.
    /// </summary>
    /// <param name="budgetMissesAsWarnings">Report missed budgets and baseline regressions (CMP3xxx) as
    /// warnings (<c>--warn-only</c>); every other error stays an error.</param>
    public string ToCanonicalString(bool budgetMissesAsWarnings = false)
    {
        string kind = ReportedSeverity(budgetMissesAsWarnings) == Severity.Error ? "error" : "warning";
        string origin = Location?.ToString() ?? "compress";
        return $"{origin}: {kind} {Code}: {Message}";
    }

    /// <summary>The severity as reported: an error, unless it is a missed budget and those are reported as warnings.</summary>
    public Severity ReportedSeverity(bool budgetMissesAsWarnings) =>
        Severity == Severity.Error && !(budgetMissesAsWarnings && IsBudgetMiss) ? Severity.Error : Severity.Warning;
}

namespace Compression.Core.Diagnostics;

/// <summary>A problem to show the user: a config error, a data error or a missed budget.</summary>
public sealed record Finding(Severity Severity, string Code, string Message, SourceLocation? Location)
{
    /// <summary>
    /// MSBuild's canonical form, <c>file(line,col): error CODE: message</c>, which IDEs, MSBuild
    /// and GitHub annotations all understand.
    /// </summary>
    public string ToCanonicalString(bool errorsAsWarnings = false)
    {
        string kind = Severity == Severity.Error && !errorsAsWarnings ? "error" : "warning";
        string origin = Location?.ToString() ?? "compress";
        return $"{origin}: {kind} {Code}: {Message}";
    }
}

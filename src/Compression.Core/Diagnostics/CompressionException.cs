namespace Compression.Core.Diagnostics;

/// <summary>
/// Bad input: the user's config, data or model is wrong. Carries every finding, so one run reports
/// all the problems it can see. Exits with code 2; never used for our own bugs.
/// </summary>
public sealed class CompressionException : Exception
{
    public CompressionException(IReadOnlyList<Finding> findings)
        : base(findings.Count > 0 ? findings[0].Message : "invalid input")
    {
        Findings = findings;
    }

    public CompressionException(string code, string message, SourceLocation? location = null)
        : this([new Finding(Severity.Error, code, message, location)])
    {
    }

    public IReadOnlyList<Finding> Findings { get; }
}

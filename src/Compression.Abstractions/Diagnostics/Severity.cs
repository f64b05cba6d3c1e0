namespace Compression.Abstractions.Diagnostics;

/// <summary>How bad a finding is.</summary>
public enum Severity
{
    /// <summary>Reported; the run goes on and can pass.</summary>
    Warning,

    /// <summary>Fails the run (exit code 1 for a missed budget, 2 for bad input).</summary>
    Error,
}

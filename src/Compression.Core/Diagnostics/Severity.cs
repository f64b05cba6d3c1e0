namespace Compression.Core.Diagnostics;

/// <summary>How bad a finding is.</summary>
public enum Severity
{
    Warning,
    Error,
}

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
}

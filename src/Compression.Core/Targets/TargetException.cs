namespace Compression.Core.Targets;

/// <summary>
/// A benchmark target failed in a way the user can fix (unreachable, refused, no runtime, too slow,
/// killed): its code, and a message that says what happened and what to do. The pipeline reports it
/// at the target's line in compression.json and exits 2.
/// </summary>
public sealed class TargetException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

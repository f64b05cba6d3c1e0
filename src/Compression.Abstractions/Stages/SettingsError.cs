namespace Compression.Abstractions.Stages;

/// <summary>A problem with a stage's settings, found before anything runs.</summary>
/// <param name="Path">Path inside the stage's settings object, e.g. <c>temperature</c> or <c>batchSizes[1]</c>.</param>
/// <param name="Message">What is wrong and what was expected, e.g. <c>must be greater than 0, got -1</c>.</param>
public sealed record SettingsError(string Path, string Message)
{
    /// <summary>The error code to report, when not the generic "invalid value" (CMP1004): e.g. CMP1011 for a model too big for memory.</summary>
    public string? Code { get; init; }
}

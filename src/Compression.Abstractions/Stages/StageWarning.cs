namespace Compression.Abstractions.Stages;

/// <summary>
/// Something a stage did that the user must hear about although the run goes on, e.g. it kept a
/// safer result than the one asked for. Shown as an MSBuild warning at the stage's settings in
/// compression.json, kept with the stage's cached output, so a reused result warns again.
/// </summary>
/// <param name="Code">A stable code, listed in docs/error-codes.md (e.g. CMP5001).</param>
/// <param name="Message">What happened and what the user can do.</param>
/// <param name="SettingsPath">The setting it concerns, relative to the stage's <c>settings</c>, or null for the stage.</param>
public sealed record StageWarning(string Code, string Message, string? SettingsPath = null);

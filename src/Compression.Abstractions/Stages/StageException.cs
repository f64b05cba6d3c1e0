namespace Compression.Abstractions.Stages;

/// <summary>
/// Thrown by a stage when it cannot work with the user's input (a model of the wrong shape, data it
/// cannot use, a setting that only turns out wrong at run time). The host reports it as bad input
/// (exit code 2) at the stage's place in compression.json. Any other exception is treated as a bug.
/// </summary>
public sealed class StageException : Exception
{
    /// <summary>Creates the exception for a problem not tied to one setting.</summary>
    /// <param name="message">What is wrong and what was expected.</param>
    public StageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="settingsPath">The setting at fault, relative to the stage's settings (e.g. <c>student</c>), if one is.</param>
    public StageException(string message, string? settingsPath)
        : base(message)
    {
        SettingsPath = settingsPath;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StageException(string message, string? settingsPath, Exception innerException)
        : base(message, innerException)
    {
        SettingsPath = settingsPath;
    }

    /// <summary>The setting at fault, relative to the stage's settings, or null.</summary>
    public string? SettingsPath { get; }
}

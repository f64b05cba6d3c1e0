namespace Compression.Abstractions.Stages;

/// <summary>
/// The config's <c>task</c> ("classification" or "embedding"), as a service, so that a stage's settings
/// check can refuse what the task cannot do before anything runs (<c>compress validate</c> included);
/// at run time the same value is <see cref="StageContext.Task"/>. Absent when no config is loaded
/// (<c>compress plugins</c>): a check that needs it is then skipped.
/// </summary>
public interface IPipelineTask
{
    /// <summary>The task's name as compression.json gives it.</summary>
    string Name { get; }
}

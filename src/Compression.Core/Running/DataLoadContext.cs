using Compression.Abstractions.Stages;

namespace Compression.Core.Running;

/// <summary>
/// What a run gives the data format beside the config: a folder for what the format derives from the
/// files (decoded images), the memory budget it checks its estimate against, and where it reports progress.
/// </summary>
/// <param name="CacheFolder">The work folder's <c>cache/data</c>, or null for no cache.</param>
/// <param name="Budget">The run's memory budget, or null when unknown.</param>
/// <param name="Progress">Progress lines (<c>compress: ...</c>), or null.</param>
public sealed record DataLoadContext(string? CacheFolder, IMemoryBudget? Budget, IProgress<string>? Progress)
{
    /// <summary>The teacher cache's folder, where a packaged sentence encoder's vocabulary is extracted for <c>"vocab": "teacher"</c>; null for none.</summary>
    public string? TeacherCacheFolder { get; init; }
}

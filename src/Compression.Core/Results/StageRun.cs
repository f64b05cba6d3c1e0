namespace Compression.Core.Results;

/// <summary>How one stage went in this run.</summary>
/// <param name="Id">Stage id.</param>
/// <param name="FromCache">True when its outputs were reused from the cache.</param>
/// <param name="Duration">Time spent (near zero for a cache hit).</param>
/// <param name="CacheKey">The content key of its outputs.</param>
/// <param name="ReportMarkdown">Its report section, if any.</param>
public sealed record StageRun(string Id, bool FromCache, TimeSpan Duration, string CacheKey, string? ReportMarkdown);

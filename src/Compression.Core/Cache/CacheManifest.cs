using Compression.Abstractions.Metrics;

namespace Compression.Core.Cache;

/// <summary>
/// Written last into a cache entry: its presence and matching file hashes are what make an entry
/// valid. An entry without it (a crash, Ctrl+C) is never served.
/// </summary>
public sealed class CacheManifest
{
    public string Key { get; set; } = "";
    public DateTimeOffset CreatedUtc { get; set; }
    public List<CachedFile> Files { get; set; } = [];
    public List<CachedArtifact> Artifacts { get; set; } = [];
    public List<Metric> Metrics { get; set; } = [];
    public string? ReportMarkdown { get; set; }
    public string? SummaryNote { get; set; }
    public List<Compression.Abstractions.Stages.StageWarning> Warnings { get; set; } = [];
}

/// <summary>A file inside an entry and its content hash.</summary>
public sealed record CachedFile(string Path, string Sha256, long Bytes);

/// <summary>An artifact inside an entry, relative to the entry's folder, with its content hash.</summary>
public sealed record CachedArtifact(string Kind, string Path, string Sha256);

namespace Compression.Core.Cache;

/// <summary>A valid cache entry: its folder and manifest.</summary>
public sealed record CacheEntry(string Directory, CacheManifest Manifest)
{
    /// <summary>Absolute path of a file inside the entry.</summary>
    public string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);
}

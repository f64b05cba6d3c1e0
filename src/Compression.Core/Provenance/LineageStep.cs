namespace Compression.Core.Provenance;

/// <summary>One stage the shipped model went through.</summary>
/// <param name="Id">The stage's id in the run ("distill", or "quantize#3" when a stage repeats).</param>
/// <param name="Stage">The stage's name.</param>
/// <param name="Version">The stage's version.</param>
/// <param name="SettingsSha256">SHA-256 of its settings as bound (defaults filled in), the JSON the cache key covers.</param>
/// <param name="CacheKey">Its cache key: code, settings, data, teachers, seed and input artifacts.</param>
/// <param name="FromCache">True when this run reused its output.</param>
public sealed record LineageStep(string Id, string Stage, string Version, string SettingsSha256, string CacheKey, bool FromCache);

namespace Compression.Core.Provenance;

/// <summary>An assembly whose code made the model: a stage's plugin or a private dependency of one.</summary>
public sealed record PluginAssembly(string Name, string Version, string Path, string Sha256);

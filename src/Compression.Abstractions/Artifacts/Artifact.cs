namespace Compression.Abstractions.Artifacts;

/// <summary>A file or folder made by a stage.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Path">Absolute path of the file or folder. Artifacts are read-only once produced.</param>
public sealed record Artifact(ArtifactKind Kind, string Path);

namespace Compression.Core.Provenance;

/// <summary>A file a run read or made, with its SHA-256.</summary>
/// <param name="Role">What it is, e.g. "train.features", "teacher", "compression.json".</param>
/// <param name="Path">Its full path.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its bytes.</param>
public sealed record HashedFile(string Role, string Path, string Sha256);

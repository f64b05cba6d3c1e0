namespace Compression.Models.Evaluation.Embeddings;

/// <summary>A manifest resource of an assembly, copied out to a file of the cache.</summary>
/// <param name="Resource">The resource's name in the assembly.</param>
/// <param name="Path">The file it was copied to (absolute).</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex (the file was checked against it).</param>
/// <param name="Bytes">Its length.</param>
public sealed record ExtractedFile(string Resource, string Path, string Sha256, long Bytes);

using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Provenance;

/// <summary>One data split the run read: its files, their hashes and its licence.</summary>
/// <param name="Split">"train", "test" or "transfer".</param>
/// <param name="Files">Its files (features and labels for IDX, one CSV).</param>
/// <param name="Samples">Rows the run used from it (after the validation split for train).</param>
/// <param name="License">Its licence and terms.</param>
public sealed record DataSetIdentity(string Split, IReadOnlyList<HashedFile> Files, int Samples, LicensedInput? License);

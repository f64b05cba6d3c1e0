namespace Compression.Core.Provenance.Licensing;

/// <summary>A teacher or data split with the licence and terms it declares.</summary>
/// <param name="Kind">"teacher" or "data".</param>
/// <param name="Name">The teacher's name, or the split ("train", "test", "transfer").</param>
/// <param name="ConfigPath">Its section in compression.json (<c>teacher</c>, <c>teachers[1]</c>, <c>data.transfer</c>).</param>
/// <param name="LicensePath">The field the licence was read from (<c>data.license</c>, <c>teacher.onnx</c> for the file's metadata), or null.</param>
/// <param name="Source">Where the licence came from.</param>
/// <param name="Expression">The licence as parsed, ids in the SPDX list's spelling; null when none was declared or it did not parse.</param>
/// <param name="Terms">Declared terms (e.g. "non-commercial").</param>
public sealed record LicensedInput(
    string Kind, string Name, string ConfigPath, string? LicensePath, LicenseSource Source, SpdxExpression? Expression, IReadOnlyList<string> Terms);

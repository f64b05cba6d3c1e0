namespace Compression.Abstractions.Diagnostics;

/// <summary>A place in a file, 1-based, for MSBuild's canonical error format.</summary>
/// <param name="FilePath">The file (compression.json, or a data file).</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
public sealed record SourceLocation(string FilePath, int Line = 0, int Column = 0)
{
    /// <summary><c>path(line,col)</c>, or just <c>path</c> when the position is unknown.</summary>
    public override string ToString() => Line > 0 ? $"{FilePath}({Line},{Column})" : FilePath;
}

namespace Compression.Core.Provenance.Licensing;

/// <summary>Text that is not an SPDX licence expression; says what was expected at which character.</summary>
public sealed class SpdxSyntaxException(string message, int position) : Exception(message)
{
    /// <summary>0-based offset in the expression where parsing stopped.</summary>
    public int Position { get; } = position;
}

namespace Compression.Core.Provenance.Licensing;

/// <summary>
/// A parsed SPDX licence expression (SPDX specification 2.3, annex D): a licence, or two expressions
/// joined by AND or OR. WITH binds an exception to one licence, so it is part of <see cref="License"/>.
/// </summary>
public abstract record SpdxExpression
{
    /// <summary>
    /// The ways the expression can be satisfied: each alternative is the licences that must all be
    /// honoured together (OR gives a choice, AND needs both). Null when there are more than
    /// <paramref name="limit"/>, which only a pathological expression reaches.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<License>>? Alternatives(int limit = 256)
    {
        switch (this)
        {
            case License license:
                return [[license]];
            case Or or:
                var left = or.Left.Alternatives(limit);
                var right = or.Right.Alternatives(limit);
                return left is null || right is null || left.Count + right.Count > limit ? null : [.. left, .. right];
            case And and:
                var first = and.Left.Alternatives(limit);
                var second = and.Right.Alternatives(limit);
                if (first is null || second is null || (long)first.Count * second.Count > limit)
                {
                    return null;
                }
                return [.. first.SelectMany(a => second.Select(b => (IReadOnlyList<License>)[.. a, .. b]))];
            default:
                throw new InvalidOperationException($"unknown SPDX node {GetType().Name}");
        }
    }

    /// <summary>Every licence the expression names, left to right.</summary>
    public IEnumerable<License> Licenses() => this switch
    {
        License license => [license],
        And and => and.Left.Licenses().Concat(and.Right.Licenses()),
        Or or => or.Left.Licenses().Concat(or.Right.Licenses()),
        _ => [],
    };

    /// <summary>One licence: an SPDX id (with <c>+</c>, "or any later version"), or a <c>LicenseRef-</c>, optionally WITH an exception.</summary>
    /// <param name="Id">The id as written (<see cref="SpdxLicenseList"/> gives the canonical spelling).</param>
    /// <param name="OrLater">True for <c>id+</c>.</param>
    /// <param name="Exception">The exception id after WITH, or null.</param>
    /// <param name="Position">0-based offset of the id in the expression text.</param>
    public sealed record License(string Id, bool OrLater, string? Exception, int Position) : SpdxExpression
    {
        /// <summary>True for <c>LicenseRef-...</c> and <c>DocumentRef-...:LicenseRef-...</c>: a licence the SPDX list does not define.</summary>
        public bool IsReference => Id.StartsWith("LicenseRef-", StringComparison.Ordinal) || Id.StartsWith("DocumentRef-", StringComparison.Ordinal);

        public override string ToString() => $"{Id}{(OrLater ? "+" : "")}{(Exception is null ? "" : $" WITH {Exception}")}";
    }

    /// <summary>Both licences apply.</summary>
    public sealed record And(SpdxExpression Left, SpdxExpression Right) : SpdxExpression
    {
        public override string ToString() => $"{Wrap(Left)} AND {Wrap(Right)}";

        private static string Wrap(SpdxExpression e) => e is Or ? $"({e})" : e.ToString();
    }

    /// <summary>Either licence may be chosen.</summary>
    public sealed record Or(SpdxExpression Left, SpdxExpression Right) : SpdxExpression
    {
        public override string ToString() => $"{Left} OR {Right}";
    }
}

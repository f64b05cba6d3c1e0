using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>
/// One named part of a method's loss (e.g. <c>hard</c>, <c>soft</c>, <c>hint</c>): the stage trains on
/// their sum and shows each term's mean per epoch in progress and report.md.
/// </summary>
/// <param name="Name">Short name shown as a column, e.g. <c>hint</c>.</param>
/// <param name="Value">A scalar tensor with gradients, already weighted as it enters the sum.</param>
public sealed record LossTerm(string Name, Tensor Value)
{
    /// <summary>The sum of <paramref name="terms"/>: the loss to train on. Throws when there are none.</summary>
    public static Tensor Total(IReadOnlyList<LossTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            throw new ArgumentException("a loss needs at least one term", nameof(terms));
        }
        Tensor total = terms[0].Value;
        for (int i = 1; i < terms.Count; i++)
        {
            total = total.Plus(terms[i].Value);
        }
        return total;
    }
}

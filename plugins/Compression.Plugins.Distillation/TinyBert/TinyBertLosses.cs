using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.TinyBert;

/// <summary>
/// TinyBERT's layer losses (Jiao et al. 2020) over the tokens a mask marks: MSE between a student layer's hidden
/// states (through a learned projection when the widths differ) and the matched teacher layer's, and MSE between
/// their attention probabilities (rows of padding queries left out; padding keys have probability 0 in both).
/// </summary>
internal static class TinyBertLosses
{
    /// <summary>
    /// Mean squared difference per hidden value over the tokens: student [batch, length, Hs], teacher [batch, length, Ht],
    /// mask [batch, length, 1] (1 token, 0 padding); <paramref name="projection"/> maps Hs to Ht, or null when they are equal.
    /// </summary>
    public static Tensor Hidden(Tensor student, Tensor teacher, Tensor mask, nn.Module<Tensor, Tensor>? projection)
    {
        using Tensor projected = projection is null ? student.alias() : projection.forward(student);
        if (!projected.shape.SequenceEqual(teacher.shape))
        {
            throw new ArgumentException($"student hidden states [{string.Join(", ", projected.shape)}] and teacher's [{string.Join(", ", teacher.shape)}] differ in shape", nameof(teacher));
        }
        using Tensor difference = projected - teacher;
        using Tensor squared = difference.square();
        using Tensor masked = squared * mask;
        using Tensor total = masked.sum();
        using Tensor tokens = mask.sum();
        using Tensor count = tokens.clamp_min(1).Times(teacher.shape[^1]);
        return total / count;
    }

    /// <summary>
    /// Mean squared difference per attention probability over the query rows that are tokens: student [batch, Hs, L, L],
    /// teacher [batch, Ht, L, L], mask [batch, L, 1]. With different head counts, each side's maps are averaged over its heads first.
    /// </summary>
    public static Tensor Attention(Tensor student, Tensor teacher, Tensor mask)
    {
        bool sameHeads = student.shape[1] == teacher.shape[1];
        using Tensor s = sameHeads ? student.alias() : student.mean([1], keepdim: true);
        using Tensor t = sameHeads ? teacher.alias() : teacher.mean([1], keepdim: true);
        if (!s.shape.SequenceEqual(t.shape))
        {
            throw new ArgumentException($"student attention [{string.Join(", ", student.shape)}] and teacher's [{string.Join(", ", teacher.shape)}] do not line up", nameof(teacher));
        }
        using Tensor rows = mask.unsqueeze(1);
        using Tensor difference = s - t;
        using Tensor squared = difference.square();
        using Tensor masked = squared * rows;
        using Tensor total = masked.sum();
        using Tensor queries = mask.sum();
        using Tensor count = queries.clamp_min(1).Times(s.shape[1] * s.shape[^1]);
        return total / count;
    }
}

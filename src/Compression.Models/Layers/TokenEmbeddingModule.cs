using System.Globalization;
using Compression.Abstractions.Distillation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>The module of a <see cref="TokenEmbeddingLayer"/>: [batch, 2, length] to [batch, length, hidden + 1].</summary>
internal sealed class TokenEmbeddingModule : nn.Module<Tensor, Tensor>
{
    // TorchSharp names parameters after fields ("word_embeddings.weight"), so these keep BERT's names.
#pragma warning disable IDE1006
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly LayerNorm? norm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    private readonly int _vocabulary;

    public TokenEmbeddingModule(int vocabulary, int hidden, int maxPositions, double dropout, bool norm)
        : base("TokenEmbedding")
    {
        _vocabulary = vocabulary;
        word_embeddings = nn.Embedding(vocabulary, hidden);
        position_embeddings = nn.Embedding(maxPositions, hidden);
        this.norm = norm ? nn.LayerNorm(hidden, TokenEmbeddingLayer.NormEpsilon) : null;
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public Tensor WordTable => word_embeddings.weight!;

    public Tensor PositionTable => position_embeddings.weight!;

    /// <summary>The LayerNorm after the sum, or null with <c>"norm": false</c>.</summary>
    public LayerNorm? Norm => norm;

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor idRow = input.select(1, 0);
        using Tensor ids = idRow.to_type(ScalarType.Int64);
        CheckIds(ids);
        using Tensor mask = input.select(1, 1);
        using Tensor maskChannel = mask.unsqueeze(-1);
        using Tensor words = word_embeddings.forward(ids);
        using Tensor positions = position_embeddings.weight!.narrow(0, 0, input.shape[2]);
        using Tensor summed = words.Plus(positions);
        using Tensor normed = norm is null ? summed.alias() : norm.forward(summed);
        using Tensor dropped = dropout.forward(normed);
        return cat([dropped, maskChannel], 2);
    }

    /// <summary>An id outside the table would read another tensor's memory in some kernels or fail deep in one: say which and why.</summary>
    private void CheckIds(Tensor ids)
    {
        if (ids.numel() == 0)
        {
            return;
        }
        using Tensor smallest = ids.min();
        using Tensor largest = ids.max();
        long low = smallest.item<long>(), high = largest.item<long>();
        if (low < 0 || high >= _vocabulary)
        {
            throw new ArgumentOutOfRangeException(nameof(ids), string.Create(CultureInfo.InvariantCulture,
                $"token id {(low < 0 ? low : high)} is outside the token-embedding's vocabulary of {_vocabulary} ids: the spec's \"vocabulary\" must be at least the tokenizer's vocabulary size"));
        }
    }
}

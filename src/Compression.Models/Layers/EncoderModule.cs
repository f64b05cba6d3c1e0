using Compression.Abstractions.Distillation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// The module of an <see cref="EncoderLayer"/>: BERT's post-LN block on [batch, length, hidden + 1],
/// the mask in the last channel kept as it is.
/// </summary>
internal sealed class EncoderModule : nn.Module<Tensor, Tensor>, ITappedModule
{
    /// <summary>Added to the scores of padding keys: exp underflows to 0, and a sample that is all padding gets uniform weights, not NaN.</summary>
    internal const double MaskedScore = -1e9;

    // TorchSharp names parameters after fields ("query.weight"), so these keep plain names.
#pragma warning disable IDE1006
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;
    private readonly LayerNorm attention_norm;
    private readonly Linear intermediate;
    private readonly Linear expand_out;
    private readonly LayerNorm output_norm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    private readonly int _heads;
    private readonly int _hidden;

    public EncoderModule(int hidden, int heads, int intermediateSize, double dropout)
        : base("Encoder")
    {
        _hidden = hidden;
        _heads = heads;
        query = nn.Linear(hidden, hidden);
        key = nn.Linear(hidden, hidden);
        value = nn.Linear(hidden, hidden);
        output = nn.Linear(hidden, hidden);
        attention_norm = nn.LayerNorm(hidden, TokenEmbeddingLayer.NormEpsilon);
        intermediate = nn.Linear(hidden, intermediateSize);
        expand_out = nn.Linear(intermediateSize, hidden);
        output_norm = nn.LayerNorm(hidden, TokenEmbeddingLayer.NormEpsilon);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public Linear Query => query;

    public Linear Key => key;

    public Linear Value => value;

    public Linear Output => output;

    public LayerNorm AttentionNorm => attention_norm;

    public Linear Intermediate => intermediate;

    public Linear IntermediateOut => expand_out;

    public LayerNorm OutputNorm => output_norm;

    public override Tensor forward(Tensor input) => Forward(input, static (_, _) => { });

    public Tensor Forward(Tensor input, Action<string, Tensor> offer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(offer);
        long batch = input.shape[0], length = input.shape[1];
        using Tensor hidden = TokenSequence.Hidden(input);
        using Tensor mask = TokenSequence.Mask(input);
        using Tensor shifted = mask.Plus(-1.0);
        using Tensor scaledMask = shifted.Times(-MaskedScore);
        using Tensor bias = scaledMask.reshape(batch, 1, 1, length);

        using Tensor q = Heads(query, hidden, batch, length);
        using Tensor k = Heads(key, hidden, batch, length);
        using Tensor v = Heads(value, hidden, batch, length);
        using Tensor keys = k.transpose(2, 3);
        using Tensor products = q.matmul(keys);
        using Tensor scores = products.Times(1.0 / Math.Sqrt(_hidden / _heads));
        using Tensor masked = scores.Plus(bias);
        Tensor probabilities = masked.softmax(-1);
        offer(EncoderLayer.AttentionSuffix, probabilities);
        using Tensor droppedProbabilities = dropout.forward(probabilities);
        using Tensor context = droppedProbabilities.matmul(v);
        using Tensor tokens = context.transpose(1, 2);
        using Tensor merged = tokens.reshape(batch, length, _hidden);

        using Tensor projected = output.forward(merged);
        using Tensor projectedDropped = dropout.forward(projected);
        using Tensor attendedSum = projectedDropped.Plus(hidden);
        using Tensor attended = attention_norm.forward(attendedSum);
        using Tensor expanded = intermediate.forward(attended);
        using Tensor activated = nn.functional.gelu(expanded);
        using Tensor contracted = expand_out.forward(activated);
        using Tensor contractedDropped = dropout.forward(contracted);
        using Tensor outputSum = contractedDropped.Plus(attended);
        using Tensor normed = output_norm.forward(outputSum);
        return cat([normed, mask], 2);
    }

    /// <summary>A projection split into heads: [batch, heads, length, hidden / heads].</summary>
    private Tensor Heads(Linear projection, Tensor hidden, long batch, long length)
    {
        using Tensor projected = projection.forward(hidden);
        using Tensor split = projected.reshape(batch, length, _heads, _hidden / _heads);
        return split.transpose(1, 2);
    }
}

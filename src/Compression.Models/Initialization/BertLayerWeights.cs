using static TorchSharp.torch;

namespace Compression.Models.Initialization;

/// <summary>One linear projection of a BERT layer in PyTorch's layout: weight [out, in], bias [out].</summary>
internal sealed record BertProjection(Tensor Weight, Tensor Bias) : IDisposable
{
    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
    }
}

/// <summary>The weights of one BERT encoder layer (post-LN): attention, its LayerNorm, the feed-forward, its LayerNorm.</summary>
internal sealed record BertLayerWeights(
    BertProjection Query,
    BertProjection Key,
    BertProjection Value,
    BertProjection AttentionOutput,
    Tensor AttentionNormWeight,
    Tensor AttentionNormBias,
    BertProjection Intermediate,
    BertProjection IntermediateOut,
    Tensor OutputNormWeight,
    Tensor OutputNormBias) : IDisposable
{
    public void Dispose()
    {
        foreach (BertProjection projection in new[] { Query, Key, Value, AttentionOutput, Intermediate, IntermediateOut })
        {
            projection.Dispose();
        }
        foreach (Tensor tensor in new[] { AttentionNormWeight, AttentionNormBias, OutputNormWeight, OutputNormBias })
        {
            tensor.Dispose();
        }
    }
}

using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>The module of a <see cref="MeanPoolLayer"/>: [batch, length, hidden + 1] to [batch, hidden].</summary>
internal sealed class MeanPoolModule() : nn.Module<Tensor, Tensor>("MeanPool")
{
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor hidden = TokenSequence.Hidden(input);
        using Tensor mask = TokenSequence.Mask(input);
        using Tensor masked = hidden.mul(mask);
        using Tensor sum = masked.sum(1);
        using Tensor count = mask.sum(1);
        using Tensor clamped = count.AtLeast(MeanPoolLayer.MinimumCount);
        return sum.div(clamped);
    }
}

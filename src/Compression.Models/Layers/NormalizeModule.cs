using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>The module of a <see cref="NormalizeLayer"/>: each row divided by its L2 norm.</summary>
internal sealed class NormalizeModule() : nn.Module<Tensor, Tensor>("Normalize")
{
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor norm = linalg.vector_norm(input, 2, [1], keepdim: true);
        using Tensor clamped = norm.AtLeast(NormalizeLayer.MinimumNorm);
        return input.div(clamped);
    }
}

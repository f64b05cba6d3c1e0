using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>A TorchSharp module built from a <see cref="ModelSpec"/>: one submodule per spec layer, in order.</summary>
public sealed class SequentialModel : nn.Module<Tensor, Tensor>
{
    // TorchSharp names parameters after fields ("layers.0.weight"), so this one keeps a plain name.
#pragma warning disable IDE1006
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;
#pragma warning restore IDE1006

    internal SequentialModel(ModelSpec spec, IEnumerable<nn.Module<Tensor, Tensor>> modules)
        : base("SequentialModel")
    {
        Spec = spec;
        layers = new ModuleList<nn.Module<Tensor, Tensor>>(modules.ToArray());
        RegisterComponents();
    }

    /// <summary>The spec this model was built from.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The module of each spec layer (same index).</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => [.. layers];

    /// <summary>Number of trainable parameters (BatchNorm running statistics are buffers, not counted).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        foreach (var layer in layers)
        {
            x = layer.forward(x);
        }
        return x;
    }
}

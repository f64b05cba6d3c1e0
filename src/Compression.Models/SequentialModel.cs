using Compression.Models.Spec;
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
    private IReadOnlyDictionary<string, int[]>? _namedLayers;

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

    public override Tensor forward(Tensor input) => Run(input, null);

    /// <summary>
    /// The forward pass that also returns the outputs of the named layers <paramref name="taps"/> (inside
    /// residual blocks too), with their gradients.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a layer of this model.</exception>
    public Tensor Forward(Tensor input, IReadOnlyCollection<string> taps, out IReadOnlyDictionary<string, Tensor> features)
    {
        // The spec never changes: infer its named layers once, not on every training step.
        IReadOnlyDictionary<string, int[]> named = _namedLayers ??= Spec.NamedOutputShapes();
        string? unknown = taps.FirstOrDefault(t => !named.ContainsKey(t));
        if (unknown is not null)
        {
            throw new ArgumentException($"the model has no layer named \"{unknown}\"; named layers: {(named.Count == 0 ? "none" : string.Join(", ", named.Keys))}", nameof(taps));
        }
        var recorder = new FeatureRecorder(taps);
        Tensor output = Run(input, recorder);
        features = recorder.Features;
        return output;
    }

    private Tensor Run(Tensor input, FeatureRecorder? recorder)
    {
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = TappedModule.Forward(layers[i], x, Spec.Layers[i].Name, recorder);
            recorder?.Offer(Spec.Layers[i].Name, x);
        }
        return x;
    }
}

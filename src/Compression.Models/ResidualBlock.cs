using Compression.Abstractions.Distillation;
using Compression.Models.Spec;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>
/// A residual block: its body's output plus its input (He et al. 2016), the input passing through a
/// projection (<see cref="ResidualShortcut"/>) when the shapes differ.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    // TorchSharp names parameters after fields ("body.0.weight"), so these keep plain names.
#pragma warning disable IDE1006
    private readonly ModuleList<nn.Module<Tensor, Tensor>> body;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> projection;
#pragma warning restore IDE1006

    private readonly IReadOnlyList<LayerSpec> _bodySpec;

    internal ResidualBlock(IReadOnlyList<LayerSpec> bodySpec, IEnumerable<nn.Module<Tensor, Tensor>> body, nn.Module<Tensor, Tensor>? projection)
        : base("ResidualBlock")
    {
        _bodySpec = bodySpec;
        this.body = new ModuleList<nn.Module<Tensor, Tensor>>(body.ToArray());
        this.projection = projection is null ? new ModuleList<nn.Module<Tensor, Tensor>>() : new ModuleList<nn.Module<Tensor, Tensor>>(projection);
        RegisterComponents();
    }

    /// <summary>The body's modules, one per body layer of the spec.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Body => [.. body];

    /// <summary>The projection on the shortcut, or null when the input is added as it is.</summary>
    public nn.Module<Tensor, Tensor>? Projection => projection.Count > 0 ? projection[0] : null;

    public override Tensor forward(Tensor input) => Run(input, null);

    /// <summary>The forward pass, offering each named body layer's output to <paramref name="recorder"/>.</summary>
    internal Tensor Run(Tensor input, FeatureRecorder? recorder)
    {
        Tensor x = input;
        for (int i = 0; i < body.Count; i++)
        {
            x = TappedModule.Forward(body[i], x, _bodySpec[i].Name, recorder);
            recorder?.Offer(_bodySpec[i].Name, x);
        }
        Tensor shortcut = projection.Count > 0 ? projection[0].forward(input) : input;
        // Plus, not +: TorchSharp's + passes an implicit scalar that a collection may free mid-call.
        return x.Plus(shortcut);
    }
}

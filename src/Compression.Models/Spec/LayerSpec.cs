using Compression.Models.Layers;

namespace Compression.Models.Spec;

/// <summary>
/// One layer of a sequential spec: its kind (<see cref="LayerType"/>) and the settings that kind parsed.
/// <c>Name</c>, optional and unique in a spec, names the layer in the exported graph (and is what
/// feature taps refer to).
/// </summary>
public sealed record LayerSpec(LayerType Type, LayerSettings Settings)
{
    /// <summary>The layer's name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The layers inside this one (a residual block's body); empty for a plain layer.</summary>
    public IReadOnlyList<LayerSpec> Body => Settings.Body;

    /// <summary>The layer's <c>out</c> (output features or channels) when its kind has one, else null.</summary>
    public int? OutputWidth => Type.OutputWidth(Settings);
}

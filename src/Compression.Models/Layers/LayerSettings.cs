using Compression.Models.Spec;

namespace Compression.Models.Layers;

/// <summary>
/// A layer's parsed settings. Each layer kind with settings derives a record from this one (e.g.
/// <see cref="LinearLayer.Settings"/>); kinds without settings use <see cref="None"/>.
/// </summary>
public record LayerSettings
{
    /// <summary>The settings of a kind that has none (activations, flatten, ...).</summary>
    public static LayerSettings None { get; } = new();

    /// <summary>The layers inside this one (a residual block's body); empty for a plain layer.</summary>
    public virtual IReadOnlyList<LayerSpec> Body => [];

    /// <summary>These settings with <paramref name="body"/> as the inner layers (only meaningful when <see cref="Body"/> is not empty).</summary>
    public virtual LayerSettings WithBody(IReadOnlyList<LayerSpec> body) => this;
}

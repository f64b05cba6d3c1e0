namespace Compression.Models;

/// <summary>
/// One layer of a sequential spec. Only the fields its kind uses are meaningful: <c>Out</c> for
/// linear/conv2d, <c>Kernel</c>/<c>Stride</c>/<c>Padding</c>/<c>Groups</c> for conv2d (and the first
/// three for pools), <c>P</c> for dropout. <c>Name</c>, optional and unique in a spec, names the layer
/// in the exported graph (and is what feature taps will refer to).
/// </summary>
public sealed record LayerSpec(LayerKind Kind, int Out = 0, int Kernel = 0, int Stride = 0, int Padding = 0, double P = 0, bool Bias = true)
{
    /// <summary>Channel groups of a conv2d: 1 is a full convolution, the input's channels a depthwise one.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The layer's name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>A residual block's layers: their output is added to the block's input (through a projection when shapes differ).</summary>
    public IReadOnlyList<LayerSpec> Body { get; init; } = [];
}

namespace Compression.Plugins.Pruning;

/// <summary>One row of the report's per-layer table.</summary>
/// <param name="Layer">The layer's name, or its path in the spec.</param>
/// <param name="Kind">conv2d, linear, ...</param>
/// <param name="Before">Channels (units) before, or weights for unstructured pruning.</param>
/// <param name="After">Channels after, or zero weights.</param>
/// <param name="How">The criterion used, or why the layer was left alone.</param>
internal sealed record LayerRow(string Layer, string Kind, long Before, long After, string How);

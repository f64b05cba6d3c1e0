namespace Compression.Models;

/// <summary>
/// One layer of a sequential spec. Only the fields its kind uses are meaningful: <c>Out</c> for
/// linear/conv2d, <c>Kernel</c>/<c>Stride</c>/<c>Padding</c> for conv2d and pools, <c>P</c> for dropout.
/// </summary>
public sealed record LayerSpec(LayerKind Kind, int Out = 0, int Kernel = 0, int Stride = 0, int Padding = 0, double P = 0, bool Bias = true);

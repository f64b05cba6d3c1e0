namespace Compression.Quantization.Qdq;

/// <summary>How to quantize: activation type and whether weights get one scale per output channel.</summary>
/// <param name="ActivationsUInt8">true: asymmetric uint8 activations; false: symmetric int8.</param>
/// <param name="PerChannel">true: a weight scale per output channel; false: one per tensor.</param>
public sealed record QdqOptions(bool ActivationsUInt8 = true, bool PerChannel = true);

namespace Compression.Quantization.Qdq;

/// <summary>How to quantize: activation type and whether weights get one scale per output channel.</summary>
/// <param name="ActivationsUInt8">true: asymmetric uint8 activations; false: symmetric int8.</param>
/// <param name="PerChannel">true: a weight scale per output channel; false: one per tensor.</param>
/// <param name="FakeQuantizedWeights">
/// true: weights stay float initializers behind a QuantizeLinear→DequantizeLinear pair with their int8
/// scales, and biases stay float: the quantization-aware graph that fine-tuning trains (imported, the float
/// weights are parameters and the pairs round with a straight-through gradient). false: the int8 model.
/// </param>
public sealed record QdqOptions(bool ActivationsUInt8 = true, bool PerChannel = true, bool FakeQuantizedWeights = false);

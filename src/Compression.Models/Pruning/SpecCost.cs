namespace Compression.Models.Pruning;

/// <summary>
/// What a spec costs per sample, from its shapes: multiply-adds (MACs, the "FLOPs" of papers and of
/// Torch-Pruning's counter) of its convolutions, linear layers and residual projections, and its
/// trainable parameters. Batchnorm, activations, pools and the residual Add are counted as free: they
/// are one operation per value, a few percent of a conv's cost, and a batchnorm after a conv is folded
/// into it on export anyway.
/// </summary>
public static class SpecCost
{
    /// <summary>Multiply-adds of one sample through <paramref name="spec"/>.</summary>
    public static long Flops(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Flops(spec.Layers, spec.Input);
    }

    /// <summary>Trainable parameters (weights, biases, batchnorm scale and shift), as <see cref="SequentialModel.ParameterCount"/> counts them.</summary>
    public static long Parameters(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Parameters(spec.Layers, spec.Input);
    }

    /// <summary>Multiply-adds of one layer given the shape entering it (a residual block: its body and projection).</summary>
    public static long LayerFlops(LayerSpec layer, int[] input)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        int[] output = ModelSpec.ShapesOf(input, [layer])[0];
        return layer.Kind switch
        {
            LayerKind.Linear => (long)input[0] * layer.Out,
            LayerKind.Conv2d => (long)output[0] * output[1] * output[2] * (input[0] / layer.Groups) * layer.Kernel * layer.Kernel,
            LayerKind.Residual => Flops(layer.Body, input) + ProjectionFlops(input, output),
            _ => 0,
        };
    }

    private static long Flops(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        long total = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            total += LayerFlops(layers[i], i == 0 ? firstInput : shapes[i - 1]);
        }
        return total;
    }

    private static long ProjectionFlops(int[] input, int[] output) => ResidualShortcut.Between(input, output)?.Kind switch
    {
        "linear" => (long)input[0] * output[0],
        "conv" => (long)input[0] * output[0] * output[1] * output[2],
        _ => 0,
    };

    private static long Parameters(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        long total = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            int[] input = i == 0 ? firstInput : shapes[i - 1];
            total += layer.Kind switch
            {
                LayerKind.BatchNorm => 2L * input[0],
                LayerKind.Residual => Parameters(layer.Body, input) + (long)MemoryEstimate.Parameters(layer, input),
                _ => (long)MemoryEstimate.Parameters(layer, input),
            };
        }
        return total;
    }
}

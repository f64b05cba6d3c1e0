using Compression.Models.Spec;

namespace Compression.Models.Pruning;

/// <summary>
/// What a spec costs per sample, from its shapes and each layer kind's own count
/// (<see cref="Layers.LayerType.MultiplyAdds"/>, <see cref="Layers.LayerType.TrainableParameters"/>): multiply-adds
/// (MACs, the "FLOPs" of papers and of Torch-Pruning's counter) of its convolutions, linear layers and
/// residual projections, and its trainable parameters. Batchnorm, activations, pools and the residual Add
/// are counted as free: they are one operation per value, a few percent of a conv's cost, and a batchnorm
/// after a conv is folded into it on export anyway.
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
        return layer.Type.MultiplyAdds(layer.Settings, input, ModelSpec.ShapesOf(input, [layer])[0]);
    }

    /// <summary>Multiply-adds of one sample through <paramref name="layers"/> given the shape entering the first.</summary>
    internal static long Flops(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        long total = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            total += LayerFlops(layers[i], i == 0 ? firstInput : shapes[i - 1]);
        }
        return total;
    }

    /// <summary>Trainable parameters of <paramref name="layers"/> given the shape entering the first.</summary>
    internal static long Parameters(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        long total = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            total += layers[i].Type.TrainableParameters(layers[i].Settings, i == 0 ? firstInput : shapes[i - 1], shapes[i]);
        }
        return total;
    }
}

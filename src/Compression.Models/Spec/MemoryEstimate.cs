using System.Globalization;

namespace Compression.Models.Spec;

/// <summary>
/// What training a spec needs, estimated from its shapes before anything is allocated: parameters
/// with their gradients and the optimiser's two moment buffers (Adam; 4 float copies), plus each
/// layer's output for a batch, kept for the backward pass and matched by its gradient (2 copies).
/// Deliberately simple and a little generous: its job is to refuse a spec that cannot fit (one
/// hidden layer of two billion units) before the kernel kills the run, not to predict peak RSS.
/// </summary>
/// <param name="TrainingBytes">Estimated bytes to train at the given batch size.</param>
/// <param name="LargestLayer">Index of the layer that needs the most (its parameters and outputs).</param>
/// <param name="LargestLayerBytes">What that layer needs.</param>
public sealed record MemoryEstimate(double TrainingBytes, int LargestLayer, double LargestLayerBytes)
{
    private const double FloatBytes = 4;
    private const double ParameterCopies = 4;
    private const double ActivationCopies = 2;

    /// <summary>Estimates training <paramref name="spec"/> with batches of <paramref name="batchSize"/>.</summary>
    public static MemoryEstimate Of(ModelSpec spec, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        double total = Elements(spec.Input) * batchSize * FloatBytes;
        int largest = 0;
        double largestBytes = -1;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            double bytes = LayerBytes(spec.Layers[i], spec.InputShapeOf(i), spec.Shapes[i], batchSize);
            total += bytes;
            if (bytes > largestBytes)
            {
                (largest, largestBytes) = (i, bytes);
            }
        }
        return new MemoryEstimate(total, largest, largestBytes);
    }

    /// <summary>A layer's parameters (x4) and output (x2); a residual block's body layers, projection and sum.</summary>
    private static double LayerBytes(LayerSpec layer, int[] input, int[] output, int batchSize)
    {
        double bytes = (layer.Type.StoredValues(layer.Settings, input, output) * ParameterCopies * FloatBytes) + (Elements(output) * batchSize * ActivationCopies * FloatBytes);
        if (layer.Body.Count > 0)
        {
            IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(input, layer.Body);
            for (int j = 0; j < layer.Body.Count; j++)
            {
                bytes += LayerBytes(layer.Body[j], j == 0 ? input : shapes[j - 1], shapes[j], batchSize);
            }
        }
        return bytes;
    }

    /// <summary>
    /// Null when training <paramref name="spec"/> at <paramref name="batchSize"/> fits in
    /// <paramref name="limitBytes"/>, else a message naming the layer that needs the most, whose
    /// config path (under <paramref name="specPath"/>) comes back in <paramref name="layerPath"/>.
    /// </summary>
    public static string? Check(ModelSpec spec, int batchSize, long limitBytes, string limitSource, string specPath, out string layerPath)
    {
        MemoryEstimate estimate = Of(spec, batchSize);
        layerPath = $"{specPath}.layers[{estimate.LargestLayer}]";
        if (estimate.TrainingBytes <= limitBytes)
        {
            return null;
        }
        LayerSpec layer = spec.Layers[estimate.LargestLayer];
        string outputs = layer.OutputWidth is int width ? string.Create(CultureInfo.InvariantCulture, $", {width:N0} outputs") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"training this model at batch {batchSize} needs about {Format(estimate.TrainingBytes)}, above the limit of {Format(limitBytes)} ({limitSource}); the largest part is {layerPath} ({layer.Type.Name}{outputs}: {Format(estimate.LargestLayerBytes)})");
    }

    /// <summary>Values a layer stores given its input shape (as the factory builds it): weights, biases, batchnorm statistics, a residual block's projection.</summary>
    public static double Parameters(LayerSpec layer, int[] input)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        return layer.Type.StoredValues(layer.Settings, input, ModelSpec.ShapesOf(input, [layer])[0]);
    }

    /// <summary>Bytes as a person reads them: "6.0 TB", "512.0 MiB".</summary>
    public static string Format(double bytes) => bytes switch
    {
        >= 1e12 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:0.0} TB"),
        >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 30):0.0} GiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):0.0} MiB"),
    };

    private static double Elements(int[] shape) => shape.Aggregate(1.0, (a, b) => a * b);
}

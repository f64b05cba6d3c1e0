using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>Builds TorchSharp modules from specs, with weights initialised from a seed.</summary>
public static class ModelFactory
{
    // TorchSharp's random generator is process-global: seeding and initialising must not interleave
    // with another thread doing the same, or "the same seed" gives different weights.
    private static readonly Lock s_initialisation = new();

    public static SequentialModel Create(ModelSpec spec, int seed)
    {
        lock (s_initialisation)
        {
            return CreateSeeded(spec, seed);
        }
    }

    private static SequentialModel CreateSeeded(ModelSpec spec, int seed)
    {
        manual_seed(seed);
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int[] input = spec.InputShapeOf(i);
            modules.Add(layer.Kind switch
            {
                LayerKind.Linear => nn.Linear(input[0], layer.Out, hasBias: layer.Bias),
                LayerKind.Conv2d => nn.Conv2d(input[0], layer.Out, layer.Kernel, stride: layer.Stride, padding: layer.Padding, groups: layer.Groups, bias: layer.Bias),
                LayerKind.BatchNorm when input.Length == 3 => nn.BatchNorm2d(input[0]),
                LayerKind.BatchNorm => nn.BatchNorm1d(input[0]),
                LayerKind.Relu => nn.ReLU(),
                LayerKind.MaxPool2d => nn.MaxPool2d(layer.Kernel, layer.Stride),
                LayerKind.AvgPool2d => nn.AvgPool2d(layer.Kernel, layer.Stride),
                LayerKind.GlobalAvgPool => nn.AdaptiveAvgPool2d(1),
                LayerKind.Flatten => nn.Flatten(),
                LayerKind.Dropout => nn.Dropout(layer.P),
                LayerKind.Relu6 => nn.ReLU6(),
                LayerKind.HardSwish => nn.Hardswish(),
                LayerKind.Silu => nn.SiLU(),
                LayerKind.Gelu => nn.GELU(),
                _ => throw new ArgumentOutOfRangeException(nameof(spec), layer.Kind, "unknown layer kind"),
            });
        }
        return new SequentialModel(spec, modules);
    }
}

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
        return new SequentialModel(spec, Modules(spec.Layers, spec.Input));
    }

    /// <summary>One module per layer, given the shape entering the first; a residual block builds its body the same way.</summary>
    private static List<nn.Module<Tensor, Tensor>> Modules(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            int[] input = i == 0 ? firstInput : shapes[i - 1];
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
                LayerKind.Residual => Residual(layer, input, shapes[i]),
                _ => throw new ArgumentOutOfRangeException(nameof(layers), layer.Kind, "unknown layer kind"),
            });
        }
        return modules;
    }

    private static ResidualBlock Residual(LayerSpec layer, int[] input, int[] output)
    {
        var body = Modules(layer.Body, input);
        ResidualShortcut shortcut = ResidualShortcut.Between(input, output)!;
        nn.Module<Tensor, Tensor>? projection = shortcut.Kind switch
        {
            "linear" => nn.Linear(input[0], output[0], hasBias: false),
            "conv" => nn.Conv2d(input[0], output[0], 1, stride: shortcut.Stride, bias: false),
            _ => null,
        };
        return new ResidualBlock(layer.Body, body, projection);
    }
}

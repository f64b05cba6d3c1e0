using static TorchSharp.torch;

using Compression.Models.Spec;

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
    internal static List<nn.Module<Tensor, Tensor>> Modules(IReadOnlyList<LayerSpec> layers, int[] firstInput)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            modules.Add(layer.Type.CreateModule(layer.Settings, i == 0 ? firstInput : shapes[i - 1], shapes[i]));
        }
        return modules;
    }
}

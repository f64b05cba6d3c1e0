using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// What a layer's ONNX export gets: the graph being built, its module and settings, the tensor it reads
/// and the one it must write. Initializers are named after <see cref="Prefix"/> (the layer's name, or
/// <c>layer3</c>), so a layer's weights can be found in the exported file.
/// </summary>
public sealed class LayerExport
{
    internal LayerExport(OnnxGraphBuilder builder, LayerSpec layer, nn.Module<Tensor, Tensor> module, int[] inputShape, int[] outputShape, string input, string output, string prefix)
    {
        Builder = builder;
        Layer = layer;
        Module = module;
        InputShape = inputShape;
        OutputShape = outputShape;
        Input = input;
        Output = output;
        Prefix = prefix;
    }

    /// <summary>The graph being built: add nodes and initializers here.</summary>
    public OnnxGraphBuilder Builder { get; }

    /// <summary>The layer exported.</summary>
    public LayerSpec Layer { get; }

    /// <summary>Its trained module (what <see cref="LayerType.CreateModule"/> made), in eval mode.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The shape of one sample entering the layer.</summary>
    public int[] InputShape { get; }

    /// <summary>The shape of one sample leaving it.</summary>
    public int[] OutputShape { get; }

    /// <summary>The tensor the layer reads.</summary>
    public string Input { get; }

    /// <summary>The tensor the layer's last node must write.</summary>
    public string Output { get; }

    /// <summary>The prefix of the layer's initializer and intermediate tensor names.</summary>
    public string Prefix { get; }

    /// <summary>The batch norm after a conv2d that the conv's export folds into its weights, or null.</summary>
    internal BatchNorm2d? FoldedBatchNorm { get; init; }

    /// <summary>Adds <paramref name="tensor"/> as the initializer <c>{Prefix}.{name}</c>; returns its name.</summary>
    public string AddTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Builder.AddInitializer($"{Prefix}.{name}", tensor.shape, Values(tensor));
    }

    /// <summary>Adds the scalar initializer <c>{Prefix}.{name}</c>; returns its name.</summary>
    public string AddScalar(string name, float value) => Builder.AddInitializer($"{Prefix}.{name}", [], [value]);

    /// <summary>Adds the 1-D int64 initializer <c>{Prefix}.{name}</c> (a shape, axes, indices); returns its name.</summary>
    public string AddInt64s(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Builder.AddInt64Initializer($"{Prefix}.{name}", [values.Length], values);
    }

    /// <summary>A name for an intermediate tensor, <c>{Prefix}_{name}</c> made unique in the graph.</summary>
    public string Intermediate(string name) => Builder.UniqueName($"{Prefix}_{name}");

    /// <summary>A tensor's values as floats, in row-major order.</summary>
    internal static float[] Values(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}

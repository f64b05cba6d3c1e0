using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "flatten"}</c>: one sample's values as a feature vector (ONNX Flatten, axis 1).</summary>
public sealed class FlattenLayer : LayerType
{
    public override string Name => "flatten";

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        ArgumentNullException.ThrowIfNull(input);
        long size = input.Aggregate(1L, (a, b) => a * b);
        return size <= int.MaxValue
            ? [(int)size]
            : throw new ModelSpecException(path, $"'{path}' (flatten) would give {size:N0} features per sample, more than a layer can have ({int.MaxValue:N0})");
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.Flatten();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return export.Builder.AddNode("Flatten", [export.Input], [export.Output]).Int("axis", 1);
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Length == 3 ? ChannelRole.Flatten : ChannelRole.PassThrough;
    }
}

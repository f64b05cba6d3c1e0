using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "globalavgpool"}</c>: each channel's mean, [channels, 1, 1] (ONNX GlobalAveragePool).</summary>
public sealed class GlobalAvgPoolLayer : LayerType
{
    public override string Name => "globalavgpool";

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        RequireRank(input, 3, " ([channels, height, width])", path);
        return [input[0], 1, 1];
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.AdaptiveAvgPool2d(1);

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return export.Builder.AddNode("GlobalAveragePool", [export.Input], [export.Output]);
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PassThrough;
}

using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "hardswish"}</c>: x * relu6(x + 3) / 6 (ONNX HardSwish).</summary>
public sealed class HardSwishLayer : ElementwiseLayer
{
    public override string Name => "hardswish";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.Hardswish();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return export.Builder.AddNode("HardSwish", [export.Input], [export.Output]);
    }
}

using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "relu6"}</c>: min(max(x, 0), 6) (ONNX Clip).</summary>
public sealed class Relu6Layer : ElementwiseLayer
{
    public override string Name => "relu6";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.ReLU6();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return export.Builder.AddNode("Clip", [export.Input, export.AddScalar("min", 0f), export.AddScalar("max", 6f)], [export.Output]);
    }
}

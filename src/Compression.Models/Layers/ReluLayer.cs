using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "relu"}</c>: ReLU (ONNX Relu).</summary>
public sealed class ReluLayer : ElementwiseLayer
{
    public override string Name => "relu";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.ReLU();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return export.Builder.AddNode("Relu", [export.Input], [export.Output]);
    }
}

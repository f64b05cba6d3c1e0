using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "silu"}</c>: x * sigmoid(x), exported as Sigmoid and Mul (opset 17 has no SiLU operator).</summary>
public sealed class SiluLayer : ElementwiseLayer
{
    public override string Name => "silu";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.SiLU();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        string sigmoid = export.Intermediate("sigmoid");
        export.Builder.AddNode("Sigmoid", [export.Input], [sigmoid]);
        return export.Builder.AddNode("Mul", [export.Input, sigmoid], [export.Output]);
    }
}

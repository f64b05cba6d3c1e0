using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "gelu"}</c>: GELU(x) = 0.5 x (1 + erf(x / sqrt 2)), the exact form TorchSharp's GELU computes,
/// exported as Div, Erf, Add, Mul, Mul (opset 17 has no Gelu operator).
/// </summary>
public sealed class GeluLayer : ElementwiseLayer
{
    public override string Name => "gelu";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.GELU();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        string scaled = export.Intermediate("scaled");
        string erf = export.Intermediate("erf");
        string shifted = export.Intermediate("shifted");
        string product = export.Intermediate("product");
        export.Builder.AddNode("Div", [export.Input, export.AddScalar("sqrt2", MathF.Sqrt(2))], [scaled]);
        export.Builder.AddNode("Erf", [scaled], [erf]);
        export.Builder.AddNode("Add", [erf, export.AddScalar("one", 1f)], [shifted]);
        export.Builder.AddNode("Mul", [export.Input, shifted], [product]);
        return export.Builder.AddNode("Mul", [product, export.AddScalar("half", 0.5f)], [export.Output]);
    }
}

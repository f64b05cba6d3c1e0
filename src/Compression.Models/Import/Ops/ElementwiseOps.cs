using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Add, Sub, Mul, Div (numpy broadcasting; integer Div truncates, as ONNX's does) and Pow (the
/// result has the base's type, as ONNX's does).
/// </summary>
internal static class ElementwiseOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Add", c => [c.Input(0).Plus(c.Input(1))], 0, 1),
        new("Sub", c => [c.Input(0) - c.Input(1)]),
        new("Mul", c => [c.Input(0) * c.Input(1)], 0, 1),
        new("Div", Div),
        new("Pow", Pow),
    ];

    private static Tensor?[] Div(OnnxNodeContext context)
    {
        Tensor a = context.Input(0);
        Tensor b = context.Input(1);
        return [a.is_floating_point() ? a / b : a.div(b, RoundingMode.trunc)];
    }

    private static Tensor?[] Pow(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        Tensor y = x.pow(context.Input(1));
        return [y.dtype == x.dtype ? y : y.to(x.dtype)];
    }
}

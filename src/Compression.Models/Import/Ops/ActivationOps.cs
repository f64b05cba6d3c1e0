using Compression.Abstractions.Distillation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Element-wise activations: Relu, Sigmoid, Tanh, Erf, Sqrt, HardSigmoid (alpha, beta), HardSwish,
/// Gelu (approximate none or tanh), Clip (bounds as attributes before opset 11, as optional inputs
/// from it); Softmax (before opset 13 over the flattened axes from <c>axis</c>, from it over one axis).
/// </summary>
internal static class ActivationOps
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double SqrtTwoOverPi = 0.79788456080286535588;

    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Relu", c => [c.Input(0).relu()]),
        new("Sigmoid", c => [c.Input(0).sigmoid()]),
        new("Tanh", c => [c.Input(0).tanh()]),
        new("Erf", c => [c.Input(0).erf()]),
        new("Sqrt", c => [c.Input(0).sqrt()]),
        new("HardSigmoid", c => [HeldScalars.Clamp(c.Input(0).Times(c.Float("alpha", 0.2f)).Plus(c.Float("beta", 0.5f)), 0, 1)]),
        new("HardSwish", c => [c.Input(0).hardswish()]),
        new("Gelu", Gelu),
        new("Clip", Clip),
        new("Softmax", Softmax),
    ];

    private static Tensor?[] Gelu(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        string approximate = context.String("approximate", "none");
        return approximate switch
        {
            "none" => [x.Times(0.5) * x.Times(InverseSqrt2).erf().Plus(1.0)],
            "tanh" => [x.Times(0.5) * x.Plus((x * x * x).Times(0.044715)).Times(SqrtTwoOverPi).tanh().Plus(1.0)],
            _ => throw context.Unsupported($"approximate '{approximate}'"),
        };
    }

    private static Tensor?[] Clip(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        if (context.Opset < 11)
        {
            return [HeldScalars.Clamp(x, context.Float("min", float.MinValue), context.Float("max", float.MaxValue))];
        }
        Tensor y = x;
        if (context.OptionalInput(1) is { } min)
        {
            y = maximum(y, min.to(x.dtype));
        }
        if (context.OptionalInput(2) is { } max)
        {
            y = minimum(y, max.to(x.dtype));
        }
        return [ReferenceEquals(y, x) ? x.alias() : y];
    }

    private static Tensor?[] Softmax(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        if (context.Opset >= 13)
        {
            return [softmax(x, context.Axis(context.Int("axis", -1), x.ndim))];
        }
        long axis = x.ndim == 0 ? 0 : context.Axis(context.Int("axis", 1), x.ndim);
        long rows = x.shape[..(int)axis].Aggregate(1L, (a, b) => a * b);
        return [softmax(x.reshape(rows, -1), 1).reshape(x.shape)];
    }
}

using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// QuantizeLinear and DequantizeLinear (opset 10 and 13: per tensor, or per axis with a 1-D scale),
/// uint8 or int8 by the zero point's type (uint8 when there is none). Evaluated, they are ONNX's
/// operators exactly: round half to even, saturate, and the integer type out. Training, QuantizeLinear
/// returns the same integers as float values, with the straight-through estimator for the rounding
/// (gradient 1 inside the range, 0 where it saturates), so a graph with Q/DQ pairs is a
/// quantization-aware model whose float weights can be fine-tuned (the quantize stage's fineTune); the
/// weight feeding a QuantizeLinear is a trainable parameter.
/// </summary>
internal static class QuantizationOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("QuantizeLinear", Quantize, 0),
        new("DequantizeLinear", Dequantize),
    ];

    private static Tensor?[] Quantize(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        Tensor? zeroPoint = context.OptionalInput(2);
        ScalarType type = zeroPoint?.dtype ?? ScalarType.Byte;
        (double low, double high) = type == ScalarType.Int8 ? (-128, 127) : (0, 255);
        Tensor scale = Along(context, context.Input(1), x);
        Tensor zero = zeroPoint is null ? zeros_like(scale) : Along(context, zeroPoint.to(x.dtype), x);
        Tensor scaled = x.div(scale).add(zero);
        Tensor rounded = context.Training
            ? scaled.add(scaled.round().sub(scaled).detach())
            : scaled.round();
        Tensor clamped = HeldScalars.Clamp(rounded, low, high);
        return [context.Training ? clamped : clamped.to(type)];
    }

    private static Tensor?[] Dequantize(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        Tensor scale = Along(context, context.Input(1), x);
        Tensor values = x.to(scale.dtype);
        Tensor? zeroPoint = context.OptionalInput(2);
        Tensor shifted = zeroPoint is null ? values : values.sub(Along(context, zeroPoint.to(scale.dtype), x));
        return [shifted.mul(scale)];
    }

    /// <summary>A scalar as it is; a 1-D per-axis tensor shaped to broadcast along the node's axis of <paramref name="x"/>.</summary>
    private static Tensor Along(OnnxNodeContext context, Tensor parameter, Tensor x)
    {
        if (parameter.dim() == 0)
        {
            return parameter;
        }
        long axis = context.Axis(context.Int("axis", 1), x.dim());
        long[] shape = [.. Enumerable.Repeat(1L, (int)x.dim())];
        shape[axis] = parameter.shape[0];
        return parameter.reshape(shape);
    }
}

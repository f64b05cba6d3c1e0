using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Compression.Models.Import.Ops;

/// <summary>Conv over 1, 2 or 3 spatial axes: group, pads (asymmetric ones padded explicitly), strides, dilations, auto_pad.</summary>
internal static class ConvOps
{
    public static IEnumerable<OnnxOperator> Operators() => [new("Conv", Conv, 1, 2)];

    private static Tensor?[] Conv(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        Tensor weight = context.Input(1);
        Tensor? bias = context.OptionalInput(2);
        int axes = (int)x.ndim - 2;
        if (axes is < 1 or > 3)
        {
            throw context.Unsupported($"a convolution over {axes} spatial axes");
        }
        long[] kernel = context.Ints("kernel_shape") ?? weight.shape[2..];
        long[] strides = context.Ints("strides") ?? SpatialPadding.Ones(axes);
        long[] dilations = context.Ints("dilations") ?? SpatialPadding.Ones(axes);
        long group = context.Int("group", 1);
        (long[] begin, long[] end) = SpatialPadding.Resolve(context, x.shape[2..], kernel, strides, dilations);
        long[] padding = begin;
        if (!begin.SequenceEqual(end))
        {
            x = pad(x, SpatialPadding.TorchOrder(begin, end));
            padding = new long[axes];
        }
        return axes switch
        {
            1 => [conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, [1, strides[0]], [0, padding[0]], [1, dilations[0]], group).squeeze(2)],
            2 => [conv2d(x, weight, bias, strides, padding, dilations, group)],
            _ => [conv3d(x, weight, bias, strides, padding, dilations, group)],
        };
    }
}

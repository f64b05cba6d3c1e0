using Compression.Onnx.Proto;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Compression.Models.Import.Ops;

/// <summary>
/// MaxPool (pads, strides, dilations, ceil_mode, auto_pad; no indices output), AveragePool (pads,
/// strides, ceil_mode, count_include_pad, auto_pad) over 1-3 spatial axes, and GlobalAveragePool.
/// </summary>
internal static class PoolOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("MaxPool", MaxPool) { Validate = ValidateMaxPool },
        new("AveragePool", AveragePool) { Validate = ValidateAveragePool },
        new("GlobalAveragePool", c => [c.Input(0).mean([.. Enumerable.Range(2, (int)c.Input(0).ndim - 2).Select(i => (long)i)], keepdim: true)]),
    ];

    private static void ValidateMaxPool(NodeProto node, long opset)
    {
        if (node.Output.Count > 1 && node.Output[1].Length > 0)
        {
            throw new UnsupportedOnnxOperatorException(node.OpType, node.Name, "the Indices output");
        }
    }

    private static void ValidateAveragePool(NodeProto node, long opset)
    {
        AttributeProto? dilations = node.Attribute.FirstOrDefault(a => a.Name == "dilations");
        if (dilations is not null && dilations.Ints.Any(d => d != 1))
        {
            throw new UnsupportedOnnxOperatorException(node.OpType, node.Name, "dilations other than 1");
        }
    }

    private static Tensor?[] MaxPool(OnnxNodeContext context)
    {
        Pooling p = Pooling.Read(context);
        Tensor x = p.X;
        long[] padding = p.Begin;
        // TorchSharp pads implicitly only the same amount on both sides, at most half the kernel.
        if (!p.Begin.SequenceEqual(p.End) || p.Begin.Select((b, i) => b > p.Kernel[i] / 2).Any(b => b))
        {
            x = pad(x, SpatialPadding.TorchOrder(p.Begin, p.End), value: double.NegativeInfinity);
            padding = new long[p.Axes];
        }
        return p.Axes switch
        {
            1 => [max_pool2d(x.unsqueeze(2), [1, p.Kernel[0]], [1, p.Strides[0]], [0, padding[0]], [1, p.Dilations[0]], p.CeilMode).squeeze(2)],
            2 => [max_pool2d(x, p.Kernel, p.Strides, padding, p.Dilations, p.CeilMode)],
            _ => [max_pool3d(x, p.Kernel, p.Strides, padding, p.Dilations, p.CeilMode)],
        };
    }

    /// <summary>
    /// The sum of each window over zero-padded input divided by the count of the positions that
    /// count (real ones, plus the padding when count_include_pad): both pooled with TorchSharp's
    /// average, whose divisor cancels, so asymmetric pads and ceil_mode windows divide right.
    /// </summary>
    private static Tensor?[] AveragePool(OnnxNodeContext context)
    {
        Pooling p = Pooling.Read(context);
        bool includePad = context.Int("count_include_pad", 0) != 0;
        long[] torchPad = SpatialPadding.TorchOrder(p.Begin, p.End);
        Tensor x = pad(p.X, torchPad);
        long[] maskShape = [1, 1, .. p.X.shape[2..]];
        Tensor mask = pad(ones(maskShape, p.X.dtype, p.X.device), torchPad, value: includePad ? 1 : 0);
        return [Average(x, p) / Average(mask, p)];
    }

    private static Tensor Average(Tensor x, Pooling p)
    {
        long[] none = new long[p.Axes];
        return p.Axes switch
        {
            1 => avg_pool2d(x.unsqueeze(2), [1, p.Kernel[0]], [1, p.Strides[0]], [0, 0], p.CeilMode, count_include_pad: true).squeeze(2),
            2 => avg_pool2d(x, p.Kernel, p.Strides, none, p.CeilMode, count_include_pad: true),
            _ => avg_pool3d(x, p.Kernel, p.Strides, none, p.CeilMode, count_include_pad: true),
        };
    }

    private sealed record Pooling(Tensor X, int Axes, long[] Kernel, long[] Strides, long[] Dilations, long[] Begin, long[] End, bool CeilMode)
    {
        public static Pooling Read(OnnxNodeContext context)
        {
            Tensor x = context.Input(0);
            int axes = (int)x.ndim - 2;
            if (axes is < 1 or > 3)
            {
                throw context.Unsupported($"pooling over {axes} spatial axes");
            }
            long[] kernel = context.Ints("kernel_shape")
                ?? throw new OnnxImportException($"node '{context.Node.Name}' ({context.Node.OpType}) has no kernel_shape");
            long[] strides = context.Ints("strides") ?? SpatialPadding.Ones(axes);
            long[] dilations = context.Ints("dilations") ?? SpatialPadding.Ones(axes);
            (long[] begin, long[] end) = SpatialPadding.Resolve(context, x.shape[2..], kernel, strides, dilations);
            return new Pooling(x, axes, kernel, strides, dilations, begin, end, context.Int("ceil_mode", 0) != 0);
        }
    }
}

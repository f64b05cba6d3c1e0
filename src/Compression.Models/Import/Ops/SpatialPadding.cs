namespace Compression.Models.Import.Ops;

/// <summary>
/// The padding of a Conv or pooling node as begin and end amounts per spatial axis, from its
/// <c>auto_pad</c> (NOTSET with <c>pads</c>, VALID, SAME_UPPER, SAME_LOWER), and its translation to
/// TorchSharp's <c>pad</c> order (last axis first).
/// </summary>
internal static class SpatialPadding
{
    public static (long[] Begin, long[] End) Resolve(OnnxNodeContext context, long[] inputSize, long[] kernel, long[] strides, long[] dilations)
    {
        int axes = inputSize.Length;
        var begin = new long[axes];
        var end = new long[axes];
        string autoPad = context.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                long[] pads = context.Ints("pads") ?? new long[2 * axes];
                if (pads.Length != 2 * axes)
                {
                    throw new OnnxImportException($"node '{context.Node.Name}' ({context.Node.OpType}): pads has {pads.Length} values, expected {2 * axes} (begin and end per spatial axis)");
                }
                Array.Copy(pads, 0, begin, 0, axes);
                Array.Copy(pads, axes, end, 0, axes);
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (int i = 0; i < axes; i++)
                {
                    long output = (inputSize[i] + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, ((output - 1) * strides[i]) + ((kernel[i] - 1) * dilations[i]) + 1 - inputSize[i]);
                    long half = total / 2;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
                }
                break;
            default:
                throw context.Unsupported($"auto_pad '{autoPad}'");
        }
        if (begin.Concat(end).Any(p => p < 0))
        {
            throw context.Unsupported("negative pads");
        }
        return (begin, end);
    }

    /// <summary>The same padding in <c>torch.nn.functional.pad</c>'s order: (begin, end) of the last axis first.</summary>
    public static long[] TorchOrder(long[] begin, long[] end)
    {
        var pad = new long[2 * begin.Length];
        for (int i = 0; i < begin.Length; i++)
        {
            int axis = begin.Length - 1 - i;
            pad[2 * i] = begin[axis];
            pad[(2 * i) + 1] = end[axis];
        }
        return pad;
    }

    public static long[] Ones(int count) => Enumerable.Repeat(1L, count).ToArray();
}

using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Ops that rearrange or describe shapes: Flatten, Reshape (0 copies a dimension unless allowzero,
/// -1 is inferred), Transpose, Concat, Unsqueeze and Squeeze (axes as attribute before opset 13, as
/// input from it), Shape (start and end from opset 15), Split (sizes as attribute before opset 13, as input from
/// it, or equal parts).
/// </summary>
internal static class ShapeOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Flatten", Flatten),
        new("Reshape", Reshape),
        new("Transpose", Transpose),
        new("Concat", c => [cat([.. Enumerable.Range(0, c.InputCount).Select(c.Input)], c.Axis(c.Int("axis", 0), c.Input(0).ndim))]),
        new("Unsqueeze", Unsqueeze),
        new("Squeeze", Squeeze),
        new("Shape", Shape),
        new("Split", Split),
    ];

    /// <summary>Split: sizes from the split input (opset 13 on) or attribute (before), else equal parts, one per output.</summary>
    private static Tensor?[] Split(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long axis = context.Axis(context.Int("axis", 0), x.ndim);
        long[]? sizes = context.Opset >= 13
            ? context.OptionalInput(1) is { } split ? split.data<long>().ToArray() : null
            : context.Ints("split");
        int outputs = context.OutputCount;
        if (sizes is null)
        {
            long length = x.shape[axis];
            long part = (length + outputs - 1) / outputs;
            sizes = [.. Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(part, length - (i * part))))];
        }
        if (sizes.Length != outputs || sizes.Sum() != x.shape[axis])
        {
            throw new OnnxImportException($"node '{context.Node.Name}' (Split): sizes [{string.Join(", ", sizes)}] do not split axis {axis} of length {x.shape[axis]} into {outputs} outputs");
        }
        return [.. x.split(sizes, axis)];
    }

    private static Tensor?[] Flatten(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long axis = context.Int("axis", 1);
        if (axis < 0)
        {
            axis += x.ndim;
        }
        if (axis < 0 || axis > x.ndim)
        {
            throw new OnnxImportException($"node '{context.Node.Name}' (Flatten): axis {context.Int("axis", 1)} is out of range for a tensor of rank {x.ndim}");
        }
        long outer = x.shape[..(int)axis].Aggregate(1L, (a, b) => a * b);
        long inner = x.shape[(int)axis..].Aggregate(1L, (a, b) => a * b);
        return [x.reshape(outer, inner)];
    }

    private static Tensor?[] Reshape(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[] shape = context.Opset < 5
            ? context.Ints("shape") ?? throw new OnnxImportException($"node '{context.Node.Name}' (Reshape) has no shape")
            : OnnxTensors.Longs(context.Input(1));
        bool allowZero = context.Int("allowzero", 0) != 0;
        long[] target = [.. shape.Select((d, i) => d == 0 && !allowZero ? x.shape[i] : d)];
        return [x.reshape(target)];
    }

    private static Tensor?[] Transpose(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[] perm = context.Ints("perm") ?? [.. Enumerable.Range(0, (int)x.ndim).Reverse().Select(i => (long)i)];
        return [x.permute(perm)];
    }

    private static long[]? Axes(OnnxNodeContext context) =>
        context.Opset < 13 ? context.Ints("axes") : context.OptionalInput(1) is { } axes ? OnnxTensors.Longs(axes) : null;

    private static Tensor?[] Unsqueeze(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[] axes = Axes(context) ?? throw new OnnxImportException($"node '{context.Node.Name}' (Unsqueeze) has no axes");
        long rank = x.ndim + axes.Length;
        Tensor y = x;
        foreach (long axis in axes.Select(a => context.Axis(a, rank)).Order())
        {
            y = y.unsqueeze(axis);
        }
        return [ReferenceEquals(y, x) ? x.alias() : y];
    }

    private static Tensor?[] Squeeze(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[]? axes = Axes(context);
        if (axes is null)
        {
            return [x.squeeze()];
        }
        Tensor y = x;
        foreach (long axis in axes.Select(a => context.Axis(a, x.ndim)).OrderDescending())
        {
            if (x.shape[axis] != 1)
            {
                throw new OnnxImportException($"node '{context.Node.Name}' (Squeeze): axis {axis} has size {x.shape[axis]}, expected 1");
            }
            y = y.squeeze(axis);
        }
        return [ReferenceEquals(y, x) ? x.alias() : y];
    }

    private static Tensor?[] Shape(OnnxNodeContext context)
    {
        long[] shape = context.Input(0).shape;
        long rank = shape.Length;
        long start = Clamp(context.Int("start", 0), rank);
        long end = Clamp(context.Int("end", rank), rank);
        return [tensor(end > start ? shape[(int)start..(int)end] : [], ScalarType.Int64)];
    }

    private static long Clamp(long axis, long rank) => Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);
}

using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Slice (attributes before opset 10, the starts/ends/axes/steps inputs from it; negative and
/// out-of-range bounds clamped as ONNX specifies, negative steps) and Gather (negative indices).
/// </summary>
internal static class IndexingOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Slice", Slice),
        new("Gather", Gather),
    ];

    private static Tensor?[] Slice(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[] starts, ends;
        long[]? axes, steps = null;
        if (context.Opset < 10)
        {
            starts = context.Ints("starts") ?? [];
            ends = context.Ints("ends") ?? [];
            axes = context.Ints("axes");
        }
        else
        {
            starts = OnnxTensors.Longs(context.Input(1));
            ends = OnnxTensors.Longs(context.Input(2));
            axes = context.OptionalInput(3) is { } a ? OnnxTensors.Longs(a) : null;
            steps = context.OptionalInput(4) is { } s ? OnnxTensors.Longs(s) : null;
        }
        Tensor y = x;
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = context.Axis(axes?[i] ?? i, x.ndim);
            long step = steps?[i] ?? 1;
            if (step == 0)
            {
                throw new OnnxImportException($"node '{context.Node.Name}' (Slice): step 0 on axis {axis}");
            }
            y = SliceAxis(y, axis, starts[i], ends[i], step);
        }
        return [ReferenceEquals(y, x) ? x.alias() : y];
    }

    private static Tensor SliceAxis(Tensor x, long axis, long start, long end, long step)
    {
        long size = x.shape[axis];
        start = start < 0 ? start + size : start;
        end = end < 0 ? end + size : end;
        var indices = new List<long>();
        if (step > 0)
        {
            start = Math.Clamp(start, 0, size);
            end = Math.Clamp(end, 0, size);
            if (end > start)
            {
                return x.slice(axis, start, end, step);
            }
        }
        else
        {
            start = Math.Clamp(start, 0, size - 1);
            end = Math.Clamp(end, -1, size - 1);
            for (long i = start; i > end; i += step)
            {
                indices.Add(i);
            }
        }
        using Tensor index = tensor(indices.ToArray(), ScalarType.Int64, x.device);
        return x.index_select(axis, index);
    }

    private static Tensor?[] Gather(OnnxNodeContext context)
    {
        Tensor data = context.Input(0);
        Tensor indices = context.Input(1).to(ScalarType.Int64);
        long axis = context.Axis(context.Int("axis", 0), data.ndim);
        Tensor positive = where(HeldScalars.LessThan(indices, 0), HeldScalars.PlusInteger(indices, data.shape[axis]), indices);
        Tensor picked = data.index_select(axis, positive.flatten());
        long[] shape = [.. data.shape[..(int)axis], .. indices.shape, .. data.shape[(int)(axis + 1)..]];
        return [picked.reshape(shape)];
    }
}

using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>ReduceMean: axes as attribute before opset 18, as optional input from it (noop_with_empty_axes), keepdims.</summary>
internal static class ReduceOps
{
    public static IEnumerable<OnnxOperator> Operators() => [new("ReduceMean", ReduceMean)];

    private static Tensor?[] ReduceMean(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long[]? axes = context.Opset < 18
            ? context.Ints("axes")
            : context.OptionalInput(1) is { } input ? OnnxTensors.Longs(input) : null;
        bool keepDims = context.Int("keepdims", 1) != 0;
        if (axes is null || axes.Length == 0)
        {
            if (context.Int("noop_with_empty_axes", 0) != 0)
            {
                return [x.alias()];
            }
            axes = [.. Enumerable.Range(0, (int)x.ndim).Select(i => (long)i)];
        }
        long[] dims = [.. axes.Select(a => context.Axis(a, x.ndim)).Distinct()];
        return [x.mean(dims, keepdim: keepDims)];
    }
}

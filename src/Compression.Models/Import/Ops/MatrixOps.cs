using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>Gemm (alpha, beta, transA, transB, optional broadcast C) and MatMul (numpy semantics).</summary>
internal static class MatrixOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Gemm", Gemm, 0, 1, 2),
        new("MatMul", c => [matmul(c.Input(0), c.Input(1))], 0, 1),
    ];

    private static Tensor?[] Gemm(OnnxNodeContext context)
    {
        Tensor a = context.Input(0);
        Tensor b = context.Input(1);
        if (context.Int("transA", 0) != 0)
        {
            a = a.t();
        }
        if (context.Int("transB", 0) != 0)
        {
            b = b.t();
        }
        Tensor y = a.mm(b);
        float alpha = context.Float("alpha", 1f);
        if (alpha != 1f)
        {
            y = y.Times(alpha);
        }
        if (context.OptionalInput(2) is { } c)
        {
            float beta = context.Float("beta", 1f);
            y = y.Plus(beta != 1f ? c.Times(beta) : c);
        }
        return [y];
    }
}

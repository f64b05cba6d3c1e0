using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Clamping and integer offsets with scalars held until the native call returns (see
/// <see cref="Compression.Abstractions.Distillation.ScalarArithmetic"/>: TorchSharp frees an implicit
/// scalar in its finalizer, possibly mid-call). Kernels use these and <c>ScalarArithmetic</c>
/// instead of arithmetic with .NET numbers, since they run inside training loops.
/// </summary>
internal static class HeldScalars
{
    public static Tensor Clamp(Tensor x, double min, double max)
    {
        using Scalar low = min.ToScalar();
        using Scalar high = max.ToScalar();
        return x.clamp(low, high);
    }

    /// <summary><paramref name="x"/> + <paramref name="value"/> keeping an integer tensor integer.</summary>
    public static Tensor PlusInteger(Tensor x, long value)
    {
        using Scalar scalar = value.ToScalar();
        return x.add(scalar, Compression.Abstractions.Distillation.ScalarArithmetic.One);
    }

    public static Tensor LessThan(Tensor x, long value)
    {
        using Scalar scalar = value.ToScalar();
        return x.lt(scalar);
    }

    public static Tensor FullLike(Tensor x, double value)
    {
        using Scalar scalar = value.ToScalar();
        return full_like(x, scalar);
    }
}

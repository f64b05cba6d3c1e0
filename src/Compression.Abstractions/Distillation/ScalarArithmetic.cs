using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>
/// Tensor-and-number arithmetic that is safe in a training loop. TorchSharp 0.107 turns a .NET
/// number into a <see cref="Scalar"/> whose native memory its finalizer frees, and the scalar of
/// <c>tensor * 0.5</c> is unreachable while the native call that reads it still runs: a garbage
/// collection in that window frees it mid-call ("Unknown scalar type", or wrong values). These
/// methods hold the scalar until the call returns. The same goes for <c>a + b</c> between two
/// tensors: TorchSharp passes a hidden scale factor of 1 as an implicit scalar (<c>-</c>, <c>*</c> and
/// <c>/</c> between tensors have none). Use these methods in a method's loss instead of <c>*</c>,
/// <c>/</c>, <c>+</c> and <c>-</c> with a number, and <see cref="Plus(Tensor, Tensor)"/> for <c>a + b</c>.
/// </summary>
public static class ScalarArithmetic
{
    // A static field is a GC root: this scalar is never finalized, so any call may use it.
    private static readonly Scalar s_one = 1.ToScalar();

    /// <summary>The number 1 as a scalar that is never freed, for TorchSharp's <c>alpha</c> arguments.</summary>
    public static Scalar One => s_one;

    /// <summary><paramref name="tensor"/> + <paramref name="other"/>, elementwise.</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.add(other, s_one);
    }

    /// <summary><paramref name="tensor"/> times <paramref name="factor"/>.</summary>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><paramref name="tensor"/> divided by <paramref name="divisor"/>.</summary>
    public static Tensor DividedBy(this Tensor tensor, double divisor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = divisor.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary><paramref name="tensor"/> plus <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = value.ToScalar();
        return tensor.add(scalar, s_one);
    }

    /// <summary><paramref name="value"/> minus <paramref name="tensor"/>, elementwise.</summary>
    public static Tensor SubtractedFrom(this Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = value.ToScalar();
        using Tensor negated = tensor.neg();
        return negated.add(scalar, s_one);
    }

    /// <summary>Elementwise maximum of <paramref name="tensor"/> and <paramref name="minimum"/>.</summary>
    public static Tensor AtLeast(this Tensor tensor, double minimum)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = minimum.ToScalar();
        return tensor.clamp_min(scalar);
    }

    /// <summary>Elementwise <paramref name="tensor"/> != <paramref name="value"/>, as bool.</summary>
    public static Tensor NotEqualTo(this Tensor tensor, long value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using Scalar scalar = value.ToScalar();
        return tensor.ne(scalar);
    }
}

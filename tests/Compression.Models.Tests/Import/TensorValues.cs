using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>A tensor as plain data (shape, element type, values as doubles), so module, ONNX Runtime and .pb tensors compare alike.</summary>
internal sealed record TensorValues(long[] Shape, ScalarType Type, double[] Values)
{
    public static TensorValues Of(Tensor tensor)
    {
        using Tensor values = tensor.detach().cpu().to(ScalarType.Float64).contiguous();
        return new TensorValues(tensor.shape, tensor.dtype, values.numel() == 0 ? [] : values.data<double>().ToArray());
    }

    /// <summary>
    /// Max |actual - expected| over the elements, divided by the largest |expected| value if that is
    /// over 1 (so a tolerance is absolute for small values and relative for large ones). Fails the
    /// test, naming <paramref name="what"/>, on a different shape or element type.
    /// </summary>
    public double ScaledDifference(TensorValues actual, string what)
    {
        Assert.True(Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", Shape)}]");
        Assert.True(Type == actual.Type, $"{what}: element type {actual.Type}, expected {Type}");
        double scale = Math.Max(1, Values.Select(Math.Abs).DefaultIfEmpty(0).Max());
        double max = 0;
        for (int i = 0; i < Values.Length; i++)
        {
            double difference = Math.Abs(actual.Values[i] - Values[i]);
            if (double.IsNaN(difference) && !(double.IsNaN(actual.Values[i]) && double.IsNaN(Values[i])))
            {
                return double.PositiveInfinity;
            }
            if (Values[i] == actual.Values[i])
            {
                continue;
            }
            max = Math.Max(max, difference);
        }
        return max / scale;
    }
}

namespace Compression.Onnx;

/// <summary>
/// Whether two runs of a model (e.g. TorchSharp and ONNX Runtime, or the student and the shipped
/// file) gave the same outputs: every difference within <c>tolerance × max(1, largest |expected|)</c>,
/// relative to the outputs' scale, since float rounding grows with the values (logits of a model
/// trained with a large learning rate reach thousands); and never agreeing when a value is NaN or
/// infinite, which compares false with everything and would otherwise slip through a "max difference".
/// </summary>
/// <param name="MaxDifference">Largest |expected - actual| (NaN when a value is not finite).</param>
/// <param name="Scale">max(1, largest |expected|): what the tolerance is relative to.</param>
/// <param name="FirstNonFiniteExpected">Index of the first non-finite expected value, or -1.</param>
/// <param name="FirstNonFiniteActual">Index of the first non-finite actual value, or -1.</param>
/// <param name="WorstIndex">The output to show when they disagree: the first non-finite one, else the largest difference.</param>
public sealed record OutputAgreement(double MaxDifference, double Scale, int FirstNonFiniteExpected, int FirstNonFiniteActual, int WorstIndex)
{
    /// <summary>Compares two equally long output arrays.</summary>
    public static OutputAgreement Of(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"expected {expected.Length} outputs, got {actual.Length}", nameof(actual));
        }
        double max = 0;
        double scale = 1;
        int badExpected = -1;
        int badActual = -1;
        int worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(expected[i]))
            {
                badExpected = badExpected < 0 ? i : badExpected;
                continue;
            }
            if (!float.IsFinite(actual[i]))
            {
                badActual = badActual < 0 ? i : badActual;
                continue;
            }
            scale = Math.Max(scale, Math.Abs(expected[i]));
            double difference = Math.Abs((double)expected[i] - actual[i]);
            if (difference > max)
            {
                (max, worst) = (difference, i);
            }
        }
        int firstBad = badExpected < 0 ? badActual : badActual < 0 ? badExpected : Math.Min(badExpected, badActual);
        return new OutputAgreement(firstBad >= 0 ? double.NaN : max, scale, badExpected, badActual, firstBad >= 0 ? firstBad : worst);
    }

    /// <summary>Whether every value is finite and every difference within <paramref name="tolerance"/> times <see cref="Scale"/>.</summary>
    public bool Within(double tolerance) => FirstNonFiniteExpected < 0 && FirstNonFiniteActual < 0 && MaxDifference <= tolerance * Scale;
}

namespace Compression.Onnx.Tests;

public class OutputAgreementTests
{
    [Fact]
    public void Differences_are_judged_relative_to_the_largest_output()
    {
        // Logits in the thousands differ by float rounding far above 1e-4, but not relative to their size.
        var large = OutputAgreement.Of([4000f, -3000f, 0.5f], [4000.1f, -3000f, 0.6f]);
        Assert.True(large.Within(1e-4));
        Assert.Equal(4000, large.Scale);

        // Small outputs: the scale is at least 1, so the tolerance stays absolute.
        var small = OutputAgreement.Of([0.5f, 0.25f], [0.5f, 0.2502f]);
        Assert.Equal(1, small.Scale);
        Assert.Equal(1, small.WorstIndex);
        Assert.False(small.Within(1e-4));
        Assert.True(small.Within(1e-3));
    }

    [Theory]
    [InlineData(float.NaN, 1f, 0, -1)]
    [InlineData(1f, float.NaN, -1, 0)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity, 0, -1)]
    public void A_value_that_is_not_finite_never_agrees(float expected, float actual, int badExpected, int badActual)
    {
        var agreement = OutputAgreement.Of([2f, expected], [2f, actual]);

        Assert.False(agreement.Within(1e9));
        Assert.Equal(1, agreement.WorstIndex);
        Assert.True(double.IsNaN(agreement.MaxDifference));
        Assert.Equal((badExpected < 0 ? -1 : 1, badActual < 0 ? -1 : 1), (agreement.FirstNonFiniteExpected, agreement.FirstNonFiniteActual));
    }
}

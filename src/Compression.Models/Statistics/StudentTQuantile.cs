namespace Compression.Models.Statistics;

/// <summary>Quantiles of Student's t distribution, from MathNet.Numerics.</summary>
public static class StudentTQuantile
{
    /// <summary>
    /// The value t with P(T &lt;= t) = <paramref name="probability"/> for T ~ Student t with
    /// <paramref name="degreesOfFreedom"/> degrees of freedom, e.g. Of(0.975, 2) = 4.3027.
    /// </summary>
    /// <param name="probability">A probability in (0, 1).</param>
    /// <param name="degreesOfFreedom">Degrees of freedom, at least 1.</param>
    public static double Of(double probability, int degreesOfFreedom)
    {
        if (!(probability > 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Expected a probability strictly between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, degreesOfFreedom, probability);
    }

    /// <summary>The critical value of a two-sided interval at <paramref name="confidence"/>: Of((1 + confidence) / 2, df).</summary>
    /// <param name="confidence">Coverage in (0, 1), e.g. 0.95.</param>
    /// <param name="degreesOfFreedom">Degrees of freedom, at least 1.</param>
    public static double TwoSided(double confidence, int degreesOfFreedom)
    {
        Confidence.Check(confidence);
        return Of((1 + confidence) / 2, degreesOfFreedom);
    }
}

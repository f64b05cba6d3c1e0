using Compression.Models.Statistics;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// How much better one model retrieves than another on the same queries and documents (a student against
/// its teacher, int8 against fp32), with a paired bootstrap interval over the queries: evaluation noise
/// (which queries were drawn), not training noise.
/// </summary>
public static class RetrievalComparison
{
    /// <summary>Recall@k of <paramref name="treated"/> minus that of <paramref name="baseline"/>, as fractions (0.01 = one point).</summary>
    /// <exception cref="ArgumentException">The two were not scored on the same number of queries and documents.</exception>
    public static GainInterval RecallAtDifference(RetrievalScores treated, RetrievalScores baseline, int k, int iterations, int seed, double confidence)
    {
        CheckPaired(treated, baseline);
        return PairedBootstrap.OverSamples(treated.Hits(k), baseline.Hits(k), iterations, seed, confidence);
    }

    /// <summary>Mean reciprocal rank of <paramref name="treated"/> minus that of <paramref name="baseline"/>.</summary>
    /// <exception cref="ArgumentException">The two were not scored on the same number of queries and documents.</exception>
    public static GainInterval MeanReciprocalRankDifference(RetrievalScores treated, RetrievalScores baseline, int iterations, int seed, double confidence)
    {
        CheckPaired(treated, baseline);
        return PairedBootstrap.OverScores(treated.ReciprocalRanks(), baseline.ReciprocalRanks(), iterations, seed, confidence);
    }

    private static void CheckPaired(RetrievalScores treated, RetrievalScores baseline)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(baseline);
        if (treated.Queries != baseline.Queries || treated.Documents != baseline.Documents)
        {
            throw new ArgumentException(
                $"Expected both models scored on the same queries and documents (paired), got {treated.Queries} queries x {treated.Documents} documents and {baseline.Queries} x {baseline.Documents}.",
                nameof(baseline));
        }
    }
}

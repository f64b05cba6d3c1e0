namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// Where each query's relevant document ranked in an exact cosine search (<see cref="RetrievalMetrics.Evaluate"/>),
/// and the usual figures from those ranks.
/// </summary>
public sealed class RetrievalScores
{
    private readonly int[] _ranks;

    /// <summary>Scores from 1-based ranks, one per query.</summary>
    /// <param name="ranks">Each query's relevant document's rank, from 1 (first) to <paramref name="documents"/>.</param>
    /// <param name="documents">How many documents were searched.</param>
    /// <exception cref="ArgumentException">No ranks, or a rank outside 1..<paramref name="documents"/>.</exception>
    public RetrievalScores(IReadOnlyList<int> ranks, int documents)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(documents);
        if (ranks.Count == 0)
        {
            throw new ArgumentException("Expected at least one query.", nameof(ranks));
        }
        if (ranks.Any(r => r < 1 || r > documents))
        {
            throw new ArgumentException($"Expected ranks from 1 to {documents}.", nameof(ranks));
        }
        _ranks = [.. ranks];
        Documents = documents;
    }

    /// <summary>Each query's relevant document's rank (1 = retrieved first).</summary>
    public IReadOnlyList<int> Ranks => _ranks;

    /// <summary>Number of queries.</summary>
    public int Queries => _ranks.Length;

    /// <summary>Number of documents searched.</summary>
    public int Documents { get; }

    /// <summary>Mean reciprocal rank: the mean of 1 / rank over the queries, in (0, 1].</summary>
    public double MeanReciprocalRank => ReciprocalRanks().Average();

    /// <summary>Recall@k: the fraction of queries whose relevant document is among the first <paramref name="k"/> (1 when <paramref name="k"/> ≥ <see cref="Documents"/>).</summary>
    public double RecallAt(int k) => (double)Hits(k).Count(hit => hit) / Queries;

    /// <summary>Per query: whether its relevant document is among the first <paramref name="k"/> (what a recall@k interval resamples).</summary>
    public bool[] Hits(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return _ranks.Select(r => r <= k).ToArray();
    }

    /// <summary>Per query: 1 / rank (what an MRR interval resamples).</summary>
    public double[] ReciprocalRanks() => _ranks.Select(r => 1.0 / r).ToArray();
}

using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public class RetrievalMetricsTests
{
    // Four queries, five documents (the last a distractor). d3 duplicates d0.
    //   d0 [1, 0]   d1 [0, 1]   d2 [1, 1]   d3 [1, 0]   d4 [-1, 0]
    // q0 [1, 0.1]:  relevant d0 (cos 0.995); d3 ties it (counts against), the rest lower: rank 2.
    // q1 [0, 1]:    relevant d1 (cos 1), nothing as high: rank 1.
    // q2 [1, 0]:    relevant d2 (cos 0.707); d0 and d3 (cos 1) above: rank 3.
    // q3 [-1, 0.2]: relevant d3 (cos -0.981); d0 ties, d1 (0.196), d2 (-0.555), d4 (0.981) above: rank 5.
    private static readonly float[] Queries = [1, 0.1f, 0, 1, 1, 0, -1, 0.2f];
    private static readonly float[] Documents = [1, 0, 0, 1, 1, 1, 1, 0, -1, 0];

    [Fact]
    public void Ranks_recall_and_mrr_match_the_hand_computed_ones()
    {
        RetrievalScores scores = RetrievalMetrics.Evaluate(Queries, Documents, 2);

        Assert.Equal([2, 1, 3, 5], scores.Ranks);
        Assert.Equal(4, scores.Queries);
        Assert.Equal(5, scores.Documents);
        Assert.Equal(0.25, scores.RecallAt(1));
        Assert.Equal(0.50, scores.RecallAt(2));
        Assert.Equal(0.75, scores.RecallAt(3));
        Assert.Equal(1.00, scores.RecallAt(10)); // only five documents
        Assert.Equal(((1.0 / 2) + 1 + (1.0 / 3) + (1.0 / 5)) / 4, scores.MeanReciprocalRank, 1e-12);
    }

    [Fact]
    public void Recall_at_10_misses_a_relevant_document_ranked_eleventh_or_lower()
    {
        // q0 [1, 0]'s relevant d0 is [-1, 0] (cos -1); d1 (cos 0) and the ten distractors [1, k/10] (cos > 0) all beat it: rank 12.
        // q1 [0, 1]'s relevant d1 is [0, 1] itself: rank 1.
        float[] queries = [1, 0, 0, 1];
        float[] documents = [-1, 0, 0, 1, .. Enumerable.Range(1, 10).SelectMany(k => new[] { 1f, k / 10f })];

        RetrievalScores scores = RetrievalMetrics.Evaluate(queries, documents, 2);

        Assert.Equal([12, 1], scores.Ranks);
        Assert.Equal(0.5, scores.RecallAt(1));
        Assert.Equal(0.5, scores.RecallAt(10));
        Assert.Equal(1.0, scores.RecallAt(12));
        Assert.Equal(((1.0 / 12) + 1) / 2, scores.MeanReciprocalRank, 1e-12);
    }

    [Fact]
    public void A_model_that_maps_everything_to_one_point_ranks_every_relevant_document_last()
    {
        float[] same = [.. Enumerable.Repeat(new[] { 0.3f, -0.7f, 0.2f }, 6).SelectMany(v => v)];

        RetrievalScores scores = RetrievalMetrics.Evaluate(same[..9], same, 3);

        Assert.Equal([6, 6, 6], scores.Ranks);
        Assert.Equal(0, scores.RecallAt(5));
    }

    [Fact]
    public void The_order_of_the_distractors_does_not_change_a_rank()
    {
        // Two distractors after the four relevant documents, in both orders; d4 [0.5, 0.5] ties q2's relevant d2 [1, 1].
        float[] documents = [1, 0, 0, 1, 1, 1, 1, 0, 0.5f, 0.5f, -1, 0];
        float[] swapped = [1, 0, 0, 1, 1, 1, 1, 0, -1, 0, 0.5f, 0.5f];

        RetrievalScores scores = RetrievalMetrics.Evaluate(Queries, documents, 2);

        Assert.Equal(scores.Ranks, RetrievalMetrics.Evaluate(Queries, swapped, 2).Ranks);
        Assert.Equal(4, scores.Ranks[2]); // d0, d3 above and the tie with d4 against
    }

    [Fact]
    public void Fewer_documents_than_queries_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, Documents[..6], 2));

        Assert.Contains("expected at least 4 documents, got 3", error.Message);
    }

    [Fact]
    public void A_non_finite_embedding_is_refused()
    {
        float[] broken = [.. Documents];
        broken[3] = float.PositiveInfinity;

        var error = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(Queries, broken, 2));

        Assert.Contains("Row 1 has a non-finite value (Infinity)", error.Message);
    }
}

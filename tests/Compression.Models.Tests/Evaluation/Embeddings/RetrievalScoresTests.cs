using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public class RetrievalScoresTests
{
    [Fact]
    public void Hits_and_reciprocal_ranks_are_per_query()
    {
        var scores = new RetrievalScores([1, 4, 10, 11], documents: 20);

        Assert.Equal([true, false, false, false], scores.Hits(1));
        Assert.Equal([true, true, true, false], scores.Hits(10));
        Assert.Equal([1, 0.25, 0.1, 1.0 / 11], scores.ReciprocalRanks());
        Assert.Equal(0.75, scores.RecallAt(10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void A_rank_outside_the_documents_is_refused(int rank)
    {
        Assert.Throws<ArgumentException>(() => new RetrievalScores([1, rank], documents: 20));
    }
}

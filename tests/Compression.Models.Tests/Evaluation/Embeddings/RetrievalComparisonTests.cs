using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Statistics;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public class RetrievalComparisonTests
{
    [Fact]
    public void Recall_difference_is_the_students_minus_the_teachers_with_an_interval_around_it()
    {
        // 1000 queries: the teacher finds 900 at rank 1, the student loses 50 of those to rank 3 and finds none more.
        int[] teacherRanks = [.. Enumerable.Range(0, 1000).Select(i => i < 900 ? 1 : 20)];
        int[] studentRanks = [.. teacherRanks.Select((r, i) => i < 50 ? 3 : r)];
        var teacher = new RetrievalScores(teacherRanks, 1000);
        var student = new RetrievalScores(studentRanks, 1000);

        GainInterval recall1 = RetrievalComparison.RecallAtDifference(student, teacher, 1, 10_000, 0, 0.95);
        GainInterval recall10 = RetrievalComparison.RecallAtDifference(student, teacher, 10, 10_000, 0, 0.95);

        Assert.Equal(-0.05, recall1.Mean, 1e-12);
        Assert.True(recall1.High < 0, recall1.ToString());
        // Only losses: the difference is -Binomial(1000, 0.05) / 1000, sd 0.0069, so about -0.05 ± 0.0135.
        Assert.Equal(-0.0635, recall1.Low, 0.003);
        Assert.Equal(-0.0365, recall1.High, 0.003);
        Assert.Equal((0, 0, 0), (recall10.Mean, recall10.Low, recall10.High)); // rank 3 is still within 10
        Assert.Equal(1000, recall1.N);
    }

    [Fact]
    public void Mrr_difference_is_the_mean_of_the_reciprocal_rank_differences()
    {
        var teacher = new RetrievalScores([1, 1, 2, 5], 5);
        var student = new RetrievalScores([1, 2, 4, 5], 5);

        GainInterval difference = RetrievalComparison.MeanReciprocalRankDifference(student, teacher, 2000, 7, 0.95);

        // (0 + (0.5 - 1) + (0.25 - 0.5) + 0) / 4
        Assert.Equal(-0.1875, difference.Mean, 1e-12);
        Assert.InRange(difference.Low, -0.5, -0.1875);
        Assert.InRange(difference.High, -0.1875, 0);
        Assert.Equal(GainMethod.PairedBootstrapOverTestSamples, difference.Method);
    }

    [Fact]
    public void Scores_of_different_query_sets_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RetrievalComparison.MeanReciprocalRankDifference(new RetrievalScores([1, 2], 5), new RetrievalScores([1, 2, 3], 5), 100, 0, 0.95));

        Assert.Contains("2 queries x 5 documents and 3 x 5", error.Message);
    }
}

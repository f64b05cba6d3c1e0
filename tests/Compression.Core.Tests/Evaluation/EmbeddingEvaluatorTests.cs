using Compression.Abstractions.Evaluation;
using Compression.Core.Evaluation;

namespace Compression.Core.Tests.Evaluation;

public sealed class EmbeddingEvaluatorTests
{
    // Two pairs in 2-D: queries first, then their documents.
    private static readonly float[] s_teacher = [1, 0, 0, 1, /* documents */ 1, 0, 0, 1];

    [Fact]
    public void Recall_MRR_cosine_and_retention_are_the_hand_computed_fractions()
    {
        // Query 1 points at document 0: rank 2 for its own document (cosine 0 against 1).
        float[] student = [1, 0, 1, 0, /* documents */ 1, 0, 0, 1];

        ModelEvaluation evaluation = EmbeddingEvaluator.Evaluate(s_teacher, 2, student, 2, 2);

        var m = evaluation.Metrics.ToDictionary(x => x.Name, x => x.Value);
        Assert.Equal(1.0, m["teacher.recall_at_1"]);
        Assert.Equal(1.0, m["teacher.recall_at_10"]);
        Assert.Equal(1.0, m["teacher.mrr"]);
        Assert.Equal(0.5, m["student.recall_at_1"]);
        Assert.Equal(1.0, m["student.recall_at_10"]);
        Assert.Equal(0.75, m["student.mrr"]);
        Assert.Equal(0.75, m["student.cosine_to_teacher"], 12); // rows 1, 0, 1, 1
        Assert.Equal(1.0, m["student.recall_at_10_retention"]);
        Assert.Equal(0.0, m["student.recall_at_10_difference"]);
        // Recall@1 and MRR differences are the hand-computed ones, inside their bootstrap intervals (two queries:
        // resamples draw both hits, both misses or one of each, so -1..0 and -0.5..0).
        Assert.Equal(-0.5, m["student.recall_at_1_difference"]);
        Assert.Equal(-0.25, m["student.mrr_difference"]);
        Assert.InRange(m["student.recall_at_1_difference_low"], -1.0, -0.5);
        Assert.Equal(0.0, m["student.recall_at_1_difference_high"]);
        Assert.InRange(m["student.mrr_difference_low"], -0.5, -0.25);
        Assert.Equal(0.0, m["student.mrr_difference_high"]);
        Assert.Equal([true, false], evaluation.StudentCorrect);
        Assert.Null(evaluation.StudentFailure);
    }

    [Fact]
    public void A_student_of_another_width_has_no_cosine_and_a_collapsed_one_is_a_failure()
    {
        float[] student = [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f];

        ModelEvaluation evaluation = EmbeddingEvaluator.Evaluate(s_teacher, 2, student, 3, 2);

        Assert.DoesNotContain(evaluation.Metrics, x => x.Name == "student.cosine_to_teacher");
        Assert.Equal(0.0, evaluation.Metrics.Single(x => x.Name == "student.recall_at_1").Value); // ties count against the relevant document
        Assert.Equal("maps every one of the 4 test texts to the same embedding, so retrieval cannot tell any document from another", evaluation.StudentFailure);
        Assert.Null(evaluation.TeacherFailure);
    }

    [Fact]
    public void Every_metric_it_reports_is_described_for_budgets()
    {
        var described = new EmbeddingEvaluator().Metrics.Select(d => d.Name).ToHashSet();
        float[] student = [1, 0, 1, 0, 1, 0, 0, 1];

        Assert.All(EmbeddingEvaluator.Evaluate(s_teacher, 2, student, 2, 2).Metrics, metric => Assert.Contains(metric.Name, described));
    }
}

using Compression.Abstractions.Data;
using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Statistics;
using Compression.Onnx;

namespace Compression.Core.Evaluation;

/// <summary>
/// The built-in evaluator of the task <c>embedding</c>. The test split holds N queries followed by their
/// N relevant documents in the same order (the text format's <c>queryColumn</c>/<c>documentColumn</c>);
/// the teacher's embeddings are its cached ones, the student's are its ONNX outputs ([batch, H], one
/// vector per text). Each model searches every query against every document by cosine (exact search,
/// the other documents distractors): recall@1, recall@10 and MRR; the student's cosine to the teacher's
/// embeddings over all 2N texts (when both have the same width); the recall@10 retention; and the
/// student-minus-teacher recall@1, recall@10 and MRR, each with its 95% paired bootstrap interval over queries.
/// </summary>
public sealed class EmbeddingEvaluator : IModelEvaluator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "embedding";

    /// <summary>Bootstrap resamples of each difference.</summary>
    public const int BootstrapIterations = 2000;

    /// <summary>The bootstrap's seed: fixed, so the same embeddings give the same interval.</summary>
    public const int BootstrapSeed = 20240611;

    /// <summary>Metric names.</summary>
    public const string TeacherRecallAt1 = "teacher.recall_at_1", TeacherRecallAt10 = "teacher.recall_at_10", TeacherMrr = "teacher.mrr",
        StudentRecallAt1 = "student.recall_at_1", StudentRecallAt10 = "student.recall_at_10", StudentMrr = "student.mrr",
        StudentCosineToTeacher = "student.cosine_to_teacher", RecallAt10Retention = "student.recall_at_10_retention",
        RecallAt10Difference = "student.recall_at_10_difference", RecallAt10DifferenceLow = "student.recall_at_10_difference_low",
        RecallAt10DifferenceHigh = "student.recall_at_10_difference_high",
        RecallAt1Difference = "student.recall_at_1_difference", RecallAt1DifferenceLow = "student.recall_at_1_difference_low",
        RecallAt1DifferenceHigh = "student.recall_at_1_difference_high",
        MrrDifference = "student.mrr_difference", MrrDifferenceLow = "student.mrr_difference_low", MrrDifferenceHigh = "student.mrr_difference_high";

    /// <inheritdoc />
    public string Task => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics { get; } =
    [
        new(TeacherRecallAt1, "", MetricDirection.HigherIsBetter, "teacher recall@1 on the test pairs") { Format = "0.####" },
        new(TeacherRecallAt10, "", MetricDirection.HigherIsBetter, "teacher recall@10 on the test pairs") { Format = "0.####" },
        new(TeacherMrr, "", MetricDirection.HigherIsBetter, "teacher mean reciprocal rank on the test pairs") { Format = "0.####" },
        new(StudentRecallAt1, "", MetricDirection.HigherIsBetter, "student recall@1 on the test pairs") { Format = "0.####" },
        new(StudentRecallAt10, "", MetricDirection.HigherIsBetter, "student recall@10 on the test pairs") { Format = "0.####" },
        new(StudentMrr, "", MetricDirection.HigherIsBetter, "student mean reciprocal rank on the test pairs") { Format = "0.####" },
        new(StudentCosineToTeacher, "", MetricDirection.HigherIsBetter, "mean cosine of student to teacher embeddings (test texts)") { Format = "0.####" },
        new(RecallAt10Retention, "", MetricDirection.HigherIsBetter, "recall@10 retention (student / teacher)"),
        new(RecallAt10Difference, "", MetricDirection.HigherIsBetter, "student minus teacher recall@10") { Format = "0.####" },
        new(RecallAt10DifferenceLow, "", MetricDirection.HigherIsBetter, "student minus teacher recall@10, 95% interval's lower bound") { Format = "0.####" },
        new(RecallAt10DifferenceHigh, "", MetricDirection.HigherIsBetter, "student minus teacher recall@10, 95% interval's upper bound") { Format = "0.####" },
        new(RecallAt1Difference, "", MetricDirection.HigherIsBetter, "student minus teacher recall@1") { Format = "0.####" },
        new(RecallAt1DifferenceLow, "", MetricDirection.HigherIsBetter, "student minus teacher recall@1, 95% interval's lower bound") { Format = "0.####" },
        new(RecallAt1DifferenceHigh, "", MetricDirection.HigherIsBetter, "student minus teacher recall@1, 95% interval's upper bound") { Format = "0.####" },
        new(MrrDifference, "", MetricDirection.HigherIsBetter, "student minus teacher mean reciprocal rank") { Format = "0.####" },
        new(MrrDifferenceLow, "", MetricDirection.HigherIsBetter, "student minus teacher mean reciprocal rank, 95% interval's lower bound") { Format = "0.####" },
        new(MrrDifferenceHigh, "", MetricDirection.HigherIsBetter, "student minus teacher mean reciprocal rank, 95% interval's upper bound") { Format = "0.####" },
    ];

    /// <inheritdoc />
    public async Task<ModelEvaluation> EvaluateAsync(ITeacher teacher, string studentOnnxPath, DataSplits data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(data);
        int texts = data.Test.Count;
        if (texts < 2 || texts % 2 != 0)
        {
            throw new InvalidOperationException($"the embedding task's test split must hold N queries then their N documents, but it holds {texts} samples: the data preflight should have refused it");
        }
        float[] teacherEmbeddings = await teacher.GetLogitsAsync(DataSplit.Test, cancellationToken);
        int teacherWidth = teacherEmbeddings.Length / texts;
        float[] studentEmbeddings = StudentEmbeddings(studentOnnxPath, data.Test, cancellationToken);
        int studentWidth = studentEmbeddings.Length / texts;
        return Evaluate(teacherEmbeddings, teacherWidth, studentEmbeddings, studentWidth, texts / 2);
    }

    /// <summary>The metrics of embeddings already computed: row-major [2N, width] each, N queries then N documents.</summary>
    public static ModelEvaluation Evaluate(float[] teacherEmbeddings, int teacherWidth, float[] studentEmbeddings, int studentWidth, int pairs)
    {
        ArgumentNullException.ThrowIfNull(teacherEmbeddings);
        ArgumentNullException.ThrowIfNull(studentEmbeddings);
        RetrievalScores teacherScores = Retrieve(teacherEmbeddings, teacherWidth, pairs);
        RetrievalScores studentScores = Retrieve(studentEmbeddings, studentWidth, pairs);
        GainInterval difference = RetrievalComparison.RecallAtDifference(studentScores, teacherScores, 10, BootstrapIterations, BootstrapSeed, 0.95);
        GainInterval recall1 = RetrievalComparison.RecallAtDifference(studentScores, teacherScores, 1, BootstrapIterations, BootstrapSeed, 0.95);
        GainInterval mrr = RetrievalComparison.MeanReciprocalRankDifference(studentScores, teacherScores, BootstrapIterations, BootstrapSeed, 0.95);
        double teacherRecall10 = teacherScores.RecallAt(10);
        var metrics = new List<Metric>
        {
            new(TeacherRecallAt1, teacherScores.RecallAt(1), "ratio"),
            new(TeacherRecallAt10, teacherRecall10, "ratio"),
            new(TeacherMrr, teacherScores.MeanReciprocalRank, "ratio"),
            new(StudentRecallAt1, studentScores.RecallAt(1), "ratio"),
            new(StudentRecallAt10, studentScores.RecallAt(10), "ratio"),
            new(StudentMrr, studentScores.MeanReciprocalRank, "ratio"),
            new(RecallAt10Retention, teacherRecall10 > 0 ? studentScores.RecallAt(10) / teacherRecall10 : 0, "ratio"),
            new(RecallAt10Difference, difference.Mean, "ratio"),
            new(RecallAt10DifferenceLow, difference.Low, "ratio"),
            new(RecallAt10DifferenceHigh, difference.High, "ratio"),
            new(RecallAt1Difference, recall1.Mean, "ratio"),
            new(RecallAt1DifferenceLow, recall1.Low, "ratio"),
            new(RecallAt1DifferenceHigh, recall1.High, "ratio"),
            new(MrrDifference, mrr.Mean, "ratio"),
            new(MrrDifferenceLow, mrr.Low, "ratio"),
            new(MrrDifferenceHigh, mrr.High, "ratio"),
        };
        // A student of another width than the teacher has no cosine to it (a projection would be a choice of ours).
        if (studentWidth == teacherWidth)
        {
            metrics.Add(new(StudentCosineToTeacher, EmbeddingSimilarity.MeanCosine(studentEmbeddings, teacherEmbeddings, teacherWidth), "ratio"));
        }
        return new ModelEvaluation(metrics, studentScores.Hits(1))
        {
            TeacherFailure = Collapsed(teacherEmbeddings, teacherWidth),
            StudentFailure = Collapsed(studentEmbeddings, studentWidth),
        };
    }

    private static RetrievalScores Retrieve(float[] embeddings, int width, int pairs) =>
        RetrievalMetrics.Evaluate(embeddings.AsSpan(0, pairs * width), embeddings.AsSpan(pairs * width, pairs * width), width);

    /// <summary>The student's outputs per test text, [count, H]; it must give one vector of finite values per text.</summary>
    private static float[] StudentEmbeddings(string onnxPath, LabelledData test, CancellationToken cancellationToken)
    {
        int width;
        using (var session = new OnnxInferenceSession(onnxPath))
        {
            width = session.OutputWidth;
        }
        if (width <= 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(onnxPath)} gives an output of shape [{width}] per text; an embedding model must give one vector of fixed length ([batch, H])");
        }
        return ClassifierEvaluator.Logits(onnxPath, test, width, cancellationToken);
    }

    /// <summary>Why a model's embeddings say nothing: every text mapped to the same vector (every relevant document ties with every other); else null.</summary>
    private static string? Collapsed(float[] embeddings, int width)
    {
        int rows = embeddings.Length / width;
        ReadOnlySpan<float> first = embeddings.AsSpan(0, width);
        for (int row = 1; row < rows; row++)
        {
            if (!embeddings.AsSpan(row * width, width).SequenceEqual(first))
            {
                return null;
            }
        }
        return $"maps every one of the {rows} test texts to the same embedding, so retrieval cannot tell any document from another";
    }
}

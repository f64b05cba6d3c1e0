using Compression.Abstractions.Data;
using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Core.Running;
using Compression.Models.Evaluation;

namespace Compression.Core.Evaluation;

/// <summary>
/// The built-in evaluator of the task <c>classification</c>: top-1 accuracy of teacher and student
/// on the test split, retention and drop, calibration (ECE over 15 bins, NLL), and whether either
/// model collapsed to one class, and how often the student's top-1 class is the teacher's.
/// </summary>
public sealed class ClassificationEvaluator : IModelEvaluator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "classification";

    /// <inheritdoc />
    public string Task => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics { get; } =
    [
        new(MetricNames.TeacherAccuracy, "", MetricDirection.HigherIsBetter, "teacher test accuracy") { Format = "0.####" },
        new(MetricNames.StudentAccuracy, "", MetricDirection.HigherIsBetter, "student test accuracy") { Format = "0.####" },
        new(MetricNames.AccuracyRetention, "", MetricDirection.HigherIsBetter, "accuracy retention (student / teacher)"),
        new(MetricNames.AccuracyDropPoints, "points", MetricDirection.LowerIsBetter, "accuracy drop (teacher minus student)") { Format = "0.00" },
        new(MetricNames.TeacherEce, "", MetricDirection.LowerIsBetter, "teacher expected calibration error (15 bins)") { Format = "0.0000" },
        new(MetricNames.StudentEce, "", MetricDirection.LowerIsBetter, "student expected calibration error (15 bins)") { Format = "0.0000" },
        new(MetricNames.StudentNll, "nats", MetricDirection.LowerIsBetter, "student test NLL") { Format = "0.0000" },
        new(MetricNames.TeacherAgreement, "", MetricDirection.HigherIsBetter, "top-1 agreement of student and teacher") { Format = "0.####" },
    ];

    /// <inheritdoc />
    public async Task<ModelEvaluation> EvaluateAsync(ITeacher teacher, string studentOnnxPath, DataSplits data, CancellationToken cancellationToken)
    {
        float[] teacherLogits = await teacher.GetLogitsAsync(DataSplit.Test, cancellationToken);
        float[] studentLogits = ClassifierEvaluator.Logits(studentOnnxPath, data.Test, data.ClassCount, cancellationToken);
        int[] labels = data.Test.Labels;
        double teacherAccuracy = ClassifierEvaluator.Accuracy(teacherLogits, labels, data.ClassCount);
        double studentAccuracy = ClassifierEvaluator.Accuracy(studentLogits, labels, data.ClassCount);
        var studentCalibration = CalibrationMetrics.Measure(studentLogits, labels, data.ClassCount, 1, 15);
        Metric[] metrics =
        [
            new(MetricNames.TeacherAccuracy, teacherAccuracy, "ratio"),
            new(MetricNames.StudentAccuracy, studentAccuracy, "ratio"),
            new(MetricNames.TeacherEce, CalibrationMetrics.Measure(teacherLogits, labels, data.ClassCount, 1, 15).Ece, "ratio"),
            new(MetricNames.StudentEce, studentCalibration.Ece, "ratio"),
            new(MetricNames.StudentNll, studentCalibration.Nll, "nats"),
            new(MetricNames.AccuracyRetention, teacherAccuracy > 0 ? studentAccuracy / teacherAccuracy : 0, "ratio"),
            new(MetricNames.AccuracyDropPoints, (teacherAccuracy - studentAccuracy) * 100, "points"),
            new(MetricNames.TeacherAgreement, ClassifierEvaluator.Agreement(teacherLogits.AsSpan(0, labels.Length * data.ClassCount), studentLogits, data.ClassCount), "ratio"),
        ];
        return new ModelEvaluation(metrics, ClassifierEvaluator.Correct(studentLogits, labels, data.ClassCount))
        {
            TeacherFailure = CollapsedModel.Check(teacherLogits, labels, data.ClassCount),
            StudentFailure = CollapsedModel.Check(studentLogits, labels, data.ClassCount),
        };
    }
}

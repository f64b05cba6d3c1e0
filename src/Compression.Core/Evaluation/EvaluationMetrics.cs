using Compression.Abstractions.Metrics;

namespace Compression.Core.Evaluation;

/// <summary>The metrics the pipeline measures itself on teacher and final student after the stages ran.</summary>
public static class EvaluationMetrics
{
    /// <summary>Their descriptors, published for every plan.</summary>
    public static IReadOnlyList<MetricDescriptor> Descriptors { get; } =
    [
        new(MetricNames.TeacherAccuracy, "", MetricDirection.HigherIsBetter, "teacher test accuracy") { Format = "0.####" },
        new(MetricNames.StudentAccuracy, "", MetricDirection.HigherIsBetter, "student test accuracy") { Format = "0.####" },
        new(MetricNames.AccuracyRetention, "", MetricDirection.HigherIsBetter, "accuracy retention (student / teacher)"),
        new(MetricNames.AccuracyDropPoints, "points", MetricDirection.LowerIsBetter, "accuracy drop (teacher minus student)") { Format = "0.00" },
        new(MetricNames.TeacherParameters, "", MetricDirection.Neither, "teacher parameters") { Format = "N0" },
        new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Format = "N0" },
        new(MetricNames.TeacherModelBytes, "bytes", MetricDirection.Neither, "teacher ONNX file size") { Format = "N0" },
        new(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" },
        new(MetricNames.TeacherEce, "", MetricDirection.LowerIsBetter, "teacher expected calibration error (15 bins)") { Format = "0.0000" },
        new(MetricNames.StudentEce, "", MetricDirection.LowerIsBetter, "student expected calibration error (15 bins)") { Format = "0.0000" },
        new(MetricNames.StudentNll, "nats", MetricDirection.LowerIsBetter, "student test NLL") { Format = "0.0000" },
        new(MetricNames.TeacherFlops, "", MetricDirection.Neither, "teacher multiply-adds per sample") { Format = "N0" },
        new(MetricNames.StudentFlops, "", MetricDirection.LowerIsBetter, "student multiply-adds per sample") { Format = "N0" },
    ];
}

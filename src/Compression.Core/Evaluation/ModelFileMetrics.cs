using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Onnx;

namespace Compression.Core.Evaluation;

/// <summary>What the pipeline measures from the teacher's and the final student's ONNX files, whatever the task: parameters, bytes, FLOPs.</summary>
public static class ModelFileMetrics
{
    /// <summary>Their descriptors, published for every plan.</summary>
    public static IReadOnlyList<MetricDescriptor> Descriptors { get; } =
    [
        new(MetricNames.TeacherParameters, "", MetricDirection.Neither, "teacher parameters") { Format = "N0" },
        new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Format = "N0" },
        new(MetricNames.TeacherModelBytes, "bytes", MetricDirection.Neither, "teacher ONNX file size") { Format = "N0" },
        new(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" },
        new(MetricNames.TeacherFlops, "", MetricDirection.Neither, "teacher multiply-adds per sample") { Format = "N0" },
        new(MetricNames.StudentFlops, "", MetricDirection.LowerIsBetter, "student multiply-adds per sample") { Format = "N0" },
    ];

    /// <summary>Measures both files.</summary>
    public static IEnumerable<Metric> Measure(ITeacher teacher, string studentOnnxPath)
    {
        yield return new Metric(MetricNames.TeacherParameters, teacher.ParameterCount, "count");
        yield return new Metric(MetricNames.StudentParameters, OnnxModelInfo.CountParameters(studentOnnxPath), "count");
        yield return new Metric(MetricNames.TeacherModelBytes, new FileInfo(teacher.OnnxPath).Length, "bytes");
        yield return new Metric(MetricNames.StudentModelBytes, new FileInfo(studentOnnxPath).Length, "bytes");
        // Multiply-adds from each graph; left out (shown as '-') when a graph has an operator the count does not know.
        if (OnnxFlops.Count(teacher.OnnxPath) is long teacherFlops)
        {
            yield return new Metric(MetricNames.TeacherFlops, teacherFlops, "count");
        }
        if (OnnxFlops.Count(studentOnnxPath) is long studentFlops)
        {
            yield return new Metric(MetricNames.StudentFlops, studentFlops, "count");
        }
    }
}

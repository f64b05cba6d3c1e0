using Compression.Abstractions.Metrics;
using Compression.Core.Results;

namespace Compression.Core.Tests.Results;

public class SummaryTableTests
{
    private static PipelineResult Result(params (string Name, double Value)[] metrics) =>
        new("compression.json", metrics.Select(m => new Metric(m.Name, m.Value, "")).ToList(), [], [], "student.onnx", "teacher.onnx", TimeSpan.Zero);

    private static readonly (string, double)[] Common =
    [
        (MetricNames.TeacherAccuracy, 0.97), (MetricNames.StudentAccuracy, 0.96), (MetricNames.AccuracyRetention, 0.96 / 0.97),
        (MetricNames.TeacherParameters, 1000), (MetricNames.StudentParameters, 100),
        (MetricNames.TeacherModelBytes, 4000), (MetricNames.StudentModelBytes, 150),
        (MetricNames.TeacherFlops, 4_600_000), (MetricNames.StudentFlops, 200_000),
    ];

    [Fact]
    public void Without_a_quantize_stage_the_table_compares_teacher_and_student()
    {
        var lines = SummaryTable.ToText(Result([.. Common, (MetricNames.PeakMemory("teacher"), 30 * 1024 * 1024), (MetricNames.PeakMemory("student"), 13.1 * 1024 * 1024)]));

        Assert.Equal("metric                        teacher   student", lines[0]);
        Assert.Equal("test accuracy                  97.00%    96.00%  retention 0.990", lines[2]);
        Assert.Equal("FLOPs (multiply-adds)       4,600,000   200,000  23.00x fewer", lines[4]);
        Assert.Equal("peak memory, largest batch   30.0 MiB  13.1 MiB", lines[9]);
        Assert.DoesNotContain(lines, l => l.Contains("fp32", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_quantize_stage_a_student_fp32_column_sits_between_teacher_and_int8_student()
    {
        var lines = SummaryTable.ToText(Result([.. Common, (MetricNames.StudentFp32Accuracy, 0.961), (MetricNames.StudentFp32ModelBytes, 400), (MetricNames.StudentFp32LatencyBatch64, 0.5)]));

        Assert.Equal("metric                        teacher  student fp32  student int8", lines[0]);
        Assert.Equal("test accuracy                  97.00%        96.10%        96.00%  retention 0.990", lines[2]);
        Assert.Equal("FLOPs (multiply-adds)       4,600,000       200,000       200,000  23.00x fewer", lines[4]);
        Assert.Equal("ONNX bytes                      4,000           400           150  26.67x smaller", lines[5]);
        Assert.Equal("throughput, batch 64                -     128,000/s             -", lines[8]);
        Assert.StartsWith("(student fp32:", lines[^1], StringComparison.Ordinal);
        Assert.Contains("| metric | teacher | student fp32 | student int8 | |", SummaryTable.ToMarkdown(Result([.. Common, (MetricNames.StudentFp32Accuracy, 0.961)])), StringComparison.Ordinal);
    }

    /// <summary>Issue 12: a ratio over a zero (a student with no parameters) is infinite: no note rather than "∞x fewer".</summary>
    [Fact]
    public void A_ratio_that_is_not_finite_leaves_the_note_empty()
    {
        var lines = SummaryTable.ToText(Result(
            (MetricNames.TeacherParameters, 1000), (MetricNames.StudentParameters, 0), (MetricNames.TeacherAccuracy, double.NaN)));

        Assert.Matches("^parameters +1,000 +0$", lines[3]);
        Assert.Matches("^test accuracy +- +-$", lines[2]);
    }
}

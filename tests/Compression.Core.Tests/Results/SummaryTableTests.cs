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
    public void The_embedding_rows_give_each_retrieval_difference_with_its_interval()
    {
        var lines = SummaryTable.ToText(Result(
        [
            .. Common,
            ("teacher.recall_at_1", 0.85), ("student.recall_at_1", 0.80), ("student.recall_at_1_difference", -0.05),
            ("student.recall_at_1_difference_low", -0.070025), ("student.recall_at_1_difference_high", -0.031),
            ("teacher.recall_at_10", 0.96), ("student.recall_at_10", 0.93), ("student.recall_at_10_retention", 0.93 / 0.96),
            ("student.recall_at_10_difference", -0.03), ("student.recall_at_10_difference_low", -0.04), ("student.recall_at_10_difference_high", -0.02),
            ("teacher.mrr", 0.892), ("student.mrr", 0.85), ("student.mrr_difference", -0.042),
            ("student.mrr_difference_low", -0.0561), ("student.mrr_difference_high", -0.0283),
        ]));

        Assert.Contains(lines, l => l.StartsWith("recall@1 (test pairs) ", StringComparison.Ordinal)
            && l.EndsWith("80.00%  difference -5.00 points, 95% CI [-7.00, -3.10] (paired bootstrap over queries)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("recall@10 (test pairs) ", StringComparison.Ordinal)
            && l.EndsWith("93.00%  retention 0.969; difference -3.00 points, 95% CI [-4.00, -2.00] (paired bootstrap over queries)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("MRR (test pairs) ", StringComparison.Ordinal)
            && l.EndsWith("0.8500  difference -0.0420, 95% CI [-0.0561, -0.0283] (paired bootstrap over queries)", StringComparison.Ordinal));
    }

    /// <summary>The column as the quantize stage describes it (Core knows no stage: the column comes from these descriptors).</summary>
    private static readonly SummaryColumn s_fp32 = new("student fp32", "student int8", "before the quantize stage, measured by it beside the int8 model");

    private static readonly MetricDescriptor[] s_fp32Cells =
    [
        new(MetricNames.StudentFp32Accuracy, "", MetricDirection.HigherIsBetter, "student fp32 test accuracy") { Summary = new(s_fp32, MetricNames.StudentAccuracy) },
        new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Summary = new(s_fp32, MetricNames.StudentParameters) },
        new(MetricNames.StudentFlops, "", MetricDirection.LowerIsBetter, "student multiply-adds") { Summary = new(s_fp32, MetricNames.StudentFlops) },
        new(MetricNames.StudentFp32ModelBytes, "bytes", MetricDirection.LowerIsBetter, "student fp32 ONNX file size") { Summary = new(s_fp32, MetricNames.StudentModelBytes) },
        new("quantize.fp32_throughput.batch64", "samples/s", MetricDirection.HigherIsBetter, "student fp32 throughput") { Summary = new(s_fp32, MetricNames.Throughput("student", 64)) },
    ];

    [Fact]
    public void A_column_a_stage_describes_sits_between_teacher_and_the_student_it_renames()
    {
        var fp32Metrics = new (string, double)[] { (MetricNames.StudentFp32Accuracy, 0.961), (MetricNames.StudentFp32ModelBytes, 400), ("quantize.fp32_throughput.batch64", 128_000) };
        var lines = SummaryTable.ToText(Result([.. Common, .. fp32Metrics]) with { Descriptors = s_fp32Cells });

        Assert.Equal("metric                        teacher  student fp32  student int8", lines[0]);
        Assert.Equal("test accuracy                  97.00%        96.10%        96.00%  retention 0.990", lines[2]);
        Assert.Equal("FLOPs (multiply-adds)       4,600,000       200,000       200,000  23.00x fewer", lines[4]);
        Assert.Equal("ONNX bytes                      4,000           400           150  26.67x smaller", lines[5]);
        Assert.Equal("throughput, batch 64                -     128,000/s             -", lines[8]);
        Assert.Equal("(student fp32: before the quantize stage, measured by it beside the int8 model)", lines[^1]);
        string markdown = SummaryTable.ToMarkdown(Result([.. Common, (MetricNames.StudentFp32Accuracy, 0.961)]) with { Descriptors = s_fp32Cells });
        Assert.Contains("| metric | teacher | student fp32 | student int8 | |", markdown, StringComparison.Ordinal);
        Assert.Contains("Student fp32: before the quantize stage, measured by it beside the int8 model.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_described_column_whose_first_metric_was_not_reported_does_not_show()
    {
        // The quantize stage that shipped fp32 reports its fp32 accuracy under another name.
        var lines = SummaryTable.ToText(Result([.. Common, (MetricNames.StudentFp32ModelBytes, 400)]) with { Descriptors = s_fp32Cells });

        Assert.Matches("^metric +teacher +student$", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains("fp32", StringComparison.Ordinal));
    }

    [Fact]
    public void Stage_notes_follow_the_table_in_plan_order()
    {
        var result = Result(Common) with { SummaryNotes = ["KD gain +1.00 points (95% CI +0.50..+1.50, n=3; over seeds and test samples)", "second note"] };

        var lines = SummaryTable.ToText(result);

        Assert.Equal(["KD gain +1.00 points (95% CI +0.50..+1.50, n=3; over seeds and test samples)", "second note"], lines.TakeLast(2));
        Assert.EndsWith("\n\nsecond note\n", SummaryTable.ToMarkdown(result).ReplaceLineEndings("\n"), StringComparison.Ordinal);
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

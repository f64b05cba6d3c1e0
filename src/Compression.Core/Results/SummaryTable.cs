using System.Globalization;
using System.Text;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Results;

/// <summary>
/// The one compact teacher-vs-student table a user reads after a build, as aligned plain text
/// (readable in a terminal, an MSBuild log and a CI log alike) or as Markdown. A stage may add a
/// column between teacher and student (the quantize stage's "student fp32": the student before it,
/// measured side by side with the int8 model) by describing metrics with a <see cref="SummaryCell"/>;
/// the final student's column then takes that column's <see cref="SummaryColumn.FinalHeading"/>.
/// </summary>
public static class SummaryTable
{
    /// <summary>One row: a label, a value per column, and a note.</summary>
    public sealed record Row(string Label, IReadOnlyList<string> Values, string Note);

    /// <summary>The column headings after "metric", in the order of <see cref="Row.Values"/>.</summary>
    public static IReadOnlyList<string> Columns(PipelineResult result)
    {
        var extra = ExtraColumns(result);
        return ["teacher", .. extra.Select(c => c.Heading), extra.Count == 0 ? "student" : extra[^1].FinalHeading];
    }

    public static IReadOnlyList<Row> Rows(PipelineResult result)
    {
        string Pct(string name) => result.Metric(name) is double v ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";
        string Count(string name) => result.Metric(name) is double v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";
        string Ms(string name) => result.Metric(name) is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "-";
        string PerSecond(double? v) => v is double p ? p.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "-";
        string MiB(string name) => result.Metric(name) is double v ? (v / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "-";
        string Ece(string name) => result.Metric(name) is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        string Ratio(double? v, string suffix = "x") => v is double r && double.IsFinite(r) ? r.ToString("0.00", CultureInfo.InvariantCulture) + suffix : "";

        double? paramRatio = result.Metric(MetricNames.TeacherParameters) / result.Metric(MetricNames.StudentParameters);
        double? bytesRatio = result.Metric(MetricNames.TeacherModelBytes) / result.Metric(MetricNames.StudentModelBytes);
        double? throughputRatio = result.Metric(MetricNames.Throughput("student", 64)) / result.Metric(MetricNames.Throughput("teacher", 64));
        string retention = result.Metric(MetricNames.AccuracyRetention) is double r
            ? "retention " + r.ToString("0.000", CultureInfo.InvariantCulture) : "";
        string scratch = result.Metric(MetricNames.ScratchAccuracy) is double s
            ? $"; from scratch {(s * 100).ToString("0.00", CultureInfo.InvariantCulture)}%" : "";

        var extra = ExtraColumns(result);
        // A row's values: the teacher's, each extra column's (by the cell a stage placed in the row of the student's metric), the student's.
        IReadOnlyList<string> Values(string teacher, string studentMetric, string student, Func<string, string> format) =>
            [teacher, .. extra.Select(c => CellMetric(result, c, studentMetric) is string cell ? format(cell) : "-"), student];
        string Throughput(string name) => PerSecond(result.Metric(name));
        string student1 = MetricNames.Latency("student", 50, 1), student95 = MetricNames.Latency("student", 95, 1), studentThroughput = MetricNames.Throughput("student", 64);
        return
        [
            new("test accuracy", Values(Pct(MetricNames.TeacherAccuracy), MetricNames.StudentAccuracy, Pct(MetricNames.StudentAccuracy), Pct), retention + scratch),
            new("parameters", Values(Count(MetricNames.TeacherParameters), MetricNames.StudentParameters, Count(MetricNames.StudentParameters), Count), Ratio(paramRatio, "x fewer")),
            new("FLOPs (multiply-adds)", Values(Count(MetricNames.TeacherFlops), MetricNames.StudentFlops, Count(MetricNames.StudentFlops), Count), Ratio(result.Metric(MetricNames.TeacherFlops) / result.Metric(MetricNames.StudentFlops), "x fewer")),
            new("ONNX bytes", Values(Count(MetricNames.TeacherModelBytes), MetricNames.StudentModelBytes, Count(MetricNames.StudentModelBytes), Count), Ratio(bytesRatio, "x smaller")),
            new("p50 latency, batch 1", Values(Ms(MetricNames.Latency("teacher", 50, 1)), student1, Ms(student1), Ms), Ratio(result.Metric(MetricNames.Speedup(1)), "x faster")),
            new("p95 latency, batch 1", Values(Ms(MetricNames.Latency("teacher", 95, 1)), student95, Ms(student95), Ms), ""),
            new("throughput, batch 64", Values(Throughput(MetricNames.Throughput("teacher", 64)), studentThroughput, Throughput(studentThroughput), Throughput), Ratio(throughputRatio)),
            new("peak memory, largest batch", Values(MiB(MetricNames.PeakMemory("teacher")), MetricNames.PeakMemory("student"), MiB(MetricNames.PeakMemory("student")), MiB), ""),
            new("ECE (15 bins)", Values(Ece(MetricNames.TeacherEce), MetricNames.StudentEce, Ece(MetricNames.StudentEce), Ece), ""),
            .. EmbeddingRows(result, Values, Pct),
        ];
    }

    /// <summary>The embedding task's rows, when it ran (recall and MRR on the test pairs, cosine to the teacher).</summary>
    private static IEnumerable<Row> EmbeddingRows(PipelineResult result, Func<string, string, string, Func<string, string>, IReadOnlyList<string>> values, Func<string, string> pct)
    {
        if (result.Metric(Evaluation.EmbeddingEvaluator.StudentRecallAt10) is null)
        {
            yield break;
        }
        string Fraction(string name) => result.Metric(name) is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        string retention = result.Metric(Evaluation.EmbeddingEvaluator.RecallAt10Retention) is double r
            ? string.Create(CultureInfo.InvariantCulture, $"retention {r:0.000}; ")
            : "";
        yield return new("recall@1 (test pairs)", values(pct(Evaluation.EmbeddingEvaluator.TeacherRecallAt1), Evaluation.EmbeddingEvaluator.StudentRecallAt1, pct(Evaluation.EmbeddingEvaluator.StudentRecallAt1), pct),
            Difference(result, Evaluation.EmbeddingEvaluator.RecallAt1Difference, 100, "+0.00;-0.00", " points"));
        yield return new("recall@10 (test pairs)", values(pct(Evaluation.EmbeddingEvaluator.TeacherRecallAt10), Evaluation.EmbeddingEvaluator.StudentRecallAt10, pct(Evaluation.EmbeddingEvaluator.StudentRecallAt10), pct),
            retention + Difference(result, Evaluation.EmbeddingEvaluator.RecallAt10Difference, 100, "+0.00;-0.00", " points"));
        yield return new("MRR (test pairs)", values(Fraction(Evaluation.EmbeddingEvaluator.TeacherMrr), Evaluation.EmbeddingEvaluator.StudentMrr, Fraction(Evaluation.EmbeddingEvaluator.StudentMrr), Fraction),
            Difference(result, Evaluation.EmbeddingEvaluator.MrrDifference, 1, "+0.0000;-0.0000", ""));
        yield return new("cosine to teacher", values("1.0000", Evaluation.EmbeddingEvaluator.StudentCosineToTeacher, Fraction(Evaluation.EmbeddingEvaluator.StudentCosineToTeacher), Fraction), "");
    }

    /// <summary>"difference -2.70 points, 95% CI [-3.90, -1.60] (paired bootstrap over queries)" from a difference metric and its _low/_high; "" when it is absent.</summary>
    private static string Difference(PipelineResult result, string metric, double scale, string format, string unit) =>
        result.Metric(metric) is double d && result.Metric(metric + "_low") is double low && result.Metric(metric + "_high") is double high
            ? string.Format(CultureInfo.InvariantCulture, "difference {0}{1}, 95% CI [{2}, {3}] (paired bootstrap over queries)",
                (d * scale).ToString(format, CultureInfo.InvariantCulture), unit, (low * scale).ToString(format, CultureInfo.InvariantCulture), (high * scale).ToString(format, CultureInfo.InvariantCulture))
            : "";

    /// <summary>Aligned plain-text lines; ratios in the notes compare the last column with the teacher.</summary>
    public static IReadOnlyList<string> ToText(PipelineResult result)
    {
        var columns = Columns(result);
        var rows = Rows(result);
        int labelWidth = Math.Max("metric".Length, rows.Max(r => r.Label.Length));
        int[] widths = columns.Select((c, i) => Math.Max(c.Length, rows.Max(r => r.Values[i].Length))).ToArray();
        var lines = new List<string>
        {
            $"{"metric".PadRight(labelWidth)}  {string.Join("  ", columns.Select((c, i) => c.PadLeft(widths[i])))}",
            $"{new string('-', labelWidth)}  {string.Join("  ", widths.Select(w => new string('-', w)))}",
        };
        lines.AddRange(rows.Select(r => $"{r.Label.PadRight(labelWidth)}  {string.Join("  ", r.Values.Select((v, i) => v.PadLeft(widths[i])))}  {r.Note}".TrimEnd()));
        foreach (SummaryColumn column in ExtraColumns(result))
        {
            lines.Add($"({column.Heading}: {column.Note})");
        }
        lines.AddRange(result.SummaryNotes);
        lines.AddRange(TargetSummaryTable.ToText(result));
        return lines;
    }

    /// <summary>A Markdown table.</summary>
    public static string ToMarkdown(PipelineResult result)
    {
        var columns = Columns(result);
        var builder = new StringBuilder();
        builder.AppendLine($"| metric | {string.Join(" | ", columns)} | |");
        builder.AppendLine($"| --- | {string.Join(" | ", columns.Select(_ => "---:"))} | --- |");
        foreach (var row in Rows(result))
        {
            builder.AppendLine($"| {row.Label} | {string.Join(" | ", row.Values)} | {row.Note} |");
        }
        foreach (SummaryColumn column in ExtraColumns(result))
        {
            builder.AppendLine();
            builder.AppendLine($"{char.ToUpperInvariant(column.Heading[0])}{column.Heading[1..]}: {column.Note}.");
        }
        foreach (string note in result.SummaryNotes)
        {
            builder.AppendLine();
            builder.AppendLine(note);
        }
        builder.Append(TargetSummaryTable.ToMarkdown(result));
        return builder.ToString();
    }

    /// <summary>The columns stages described, in order, that show: the metric of each one's first cell was reported.</summary>
    private static List<SummaryColumn> ExtraColumns(PipelineResult result) =>
        result.Descriptors.Where(d => d.Summary is not null)
            .GroupBy(d => d.Summary!.Column)
            .Where(cells => result.Metric(cells.First().Name) is not null)
            .Select(cells => cells.Key)
            .ToList();

    /// <summary>The metric a column shows in the row of the student's <paramref name="row"/> metric, or null.</summary>
    private static string? CellMetric(PipelineResult result, SummaryColumn column, string row) =>
        result.Descriptors.FirstOrDefault(d => d.Summary is { } cell && cell.Column == column && cell.Row == row)?.Name;
}

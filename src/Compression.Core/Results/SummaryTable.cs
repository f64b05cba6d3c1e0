using System.Globalization;
using System.Text;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Results;

/// <summary>
/// The one compact teacher-vs-student table a user reads after a build, as aligned plain text
/// (readable in a terminal, an MSBuild log and a CI log alike) or as Markdown.
/// </summary>
public static class SummaryTable
{
    /// <summary>Rows of (label, teacher, student, note).</summary>
    public static IReadOnlyList<(string Label, string Teacher, string Student, string Note)> Rows(PipelineResult result)
    {
        string Pct(string name) => result.Metric(name) is double v ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";
        string Count(string name) => result.Metric(name) is double v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";
        string Ms(string name) => result.Metric(name) is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "-";
        string PerSecond(string name) => result.Metric(name) is double v ? v.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "-";
        string Ece(string name) => result.Metric(name) is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        string Ratio(double? v, string suffix = "x") => v is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) + suffix : "";

        double? paramRatio = result.Metric(MetricNames.TeacherParameters) / result.Metric(MetricNames.StudentParameters);
        double? bytesRatio = result.Metric(MetricNames.TeacherModelBytes) / result.Metric(MetricNames.StudentModelBytes);
        double? throughputRatio = result.Metric(MetricNames.Throughput("student", 64)) / result.Metric(MetricNames.Throughput("teacher", 64));
        string retention = result.Metric(MetricNames.AccuracyRetention) is double r
            ? "retention " + r.ToString("0.000", CultureInfo.InvariantCulture) : "";
        string scratch = result.Metric(MetricNames.ScratchAccuracy) is double s
            ? $"; from scratch {(s * 100).ToString("0.00", CultureInfo.InvariantCulture)}%" : "";

        return
        [
            ("test accuracy", Pct(MetricNames.TeacherAccuracy), Pct(MetricNames.StudentAccuracy), retention + scratch),
            ("parameters", Count(MetricNames.TeacherParameters), Count(MetricNames.StudentParameters), Ratio(paramRatio, "x fewer")),
            ("ONNX bytes", Count(MetricNames.TeacherModelBytes), Count(MetricNames.StudentModelBytes), Ratio(bytesRatio, "x smaller")),
            ("p50 latency, batch 1", Ms(MetricNames.Latency("teacher", 50, 1)), Ms(MetricNames.Latency("student", 50, 1)), Ratio(result.Metric(MetricNames.Speedup(1)), "x faster")),
            ("p95 latency, batch 1", Ms(MetricNames.Latency("teacher", 95, 1)), Ms(MetricNames.Latency("student", 95, 1)), ""),
            ("throughput, batch 64", PerSecond(MetricNames.Throughput("teacher", 64)), PerSecond(MetricNames.Throughput("student", 64)), Ratio(throughputRatio)),
            ("ECE (15 bins)", Ece(MetricNames.TeacherEce), Ece(MetricNames.StudentEce), ""),
        ];
    }

    /// <summary>Aligned plain-text lines.</summary>
    public static IReadOnlyList<string> ToText(PipelineResult result)
    {
        var rows = Rows(result);
        int w0 = Math.Max("metric".Length, rows.Max(r => r.Label.Length));
        int w1 = Math.Max("teacher".Length, rows.Max(r => r.Teacher.Length));
        int w2 = Math.Max("student".Length, rows.Max(r => r.Student.Length));
        var lines = new List<string>
        {
            $"{"metric".PadRight(w0)}  {"teacher".PadLeft(w1)}  {"student".PadLeft(w2)}",
            $"{new string('-', w0)}  {new string('-', w1)}  {new string('-', w2)}",
        };
        lines.AddRange(rows.Select(r => $"{r.Label.PadRight(w0)}  {r.Teacher.PadLeft(w1)}  {r.Student.PadLeft(w2)}  {r.Note}".TrimEnd()));
        return lines;
    }

    /// <summary>A Markdown table.</summary>
    public static string ToMarkdown(PipelineResult result)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| metric | teacher | student | |");
        builder.AppendLine("| --- | ---: | ---: | --- |");
        foreach (var row in Rows(result))
        {
            builder.AppendLine($"| {row.Label} | {row.Teacher} | {row.Student} | {row.Note} |");
        }
        return builder.ToString();
    }
}

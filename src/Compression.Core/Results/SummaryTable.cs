using System.Globalization;
using System.Text;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Results;

/// <summary>
/// The one compact teacher-vs-student table a user reads after a build, as aligned plain text
/// (readable in a terminal, an MSBuild log and a CI log alike) or as Markdown. When a quantize stage
/// ran, a "student fp32" column shows the student before quantization, as that stage measured it
/// side by side with the int8 model, and the final student's column is headed "student int8".
/// </summary>
public static class SummaryTable
{
    /// <summary>One row: a label, a value per column, and a note.</summary>
    public sealed record Row(string Label, IReadOnlyList<string> Values, string Note);

    /// <summary>The column headings after "metric", in the order of <see cref="Row.Values"/>.</summary>
    public static IReadOnlyList<string> Columns(PipelineResult result) =>
        Quantized(result) ? ["teacher", "student fp32", "student int8"] : ["teacher", "student"];

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

        bool quantized = Quantized(result);
        IReadOnlyList<string> Values(string teacher, string fp32, string student) => quantized ? [teacher, fp32, student] : [teacher, student];
        double? fp32Throughput = result.Metric(MetricNames.StudentFp32LatencyBatch64) is double ms && ms > 0 ? 64_000 / ms : null;
        return
        [
            new("test accuracy", Values(Pct(MetricNames.TeacherAccuracy), Pct(MetricNames.StudentFp32Accuracy), Pct(MetricNames.StudentAccuracy)), retention + scratch),
            new("parameters", Values(Count(MetricNames.TeacherParameters), Count(MetricNames.StudentParameters), Count(MetricNames.StudentParameters)), Ratio(paramRatio, "x fewer")),
            new("FLOPs (multiply-adds)", Values(Count(MetricNames.TeacherFlops), Count(MetricNames.StudentFlops), Count(MetricNames.StudentFlops)), Ratio(result.Metric(MetricNames.TeacherFlops) / result.Metric(MetricNames.StudentFlops), "x fewer")),
            new("ONNX bytes", Values(Count(MetricNames.TeacherModelBytes), Count(MetricNames.StudentFp32ModelBytes), Count(MetricNames.StudentModelBytes)), Ratio(bytesRatio, "x smaller")),
            new("p50 latency, batch 1", Values(Ms(MetricNames.Latency("teacher", 50, 1)), Ms(MetricNames.StudentFp32LatencyBatch1), Ms(MetricNames.Latency("student", 50, 1))), Ratio(result.Metric(MetricNames.Speedup(1)), "x faster")),
            new("p95 latency, batch 1", Values(Ms(MetricNames.Latency("teacher", 95, 1)), "-", Ms(MetricNames.Latency("student", 95, 1))), ""),
            new("throughput, batch 64", Values(PerSecond(result.Metric(MetricNames.Throughput("teacher", 64))), PerSecond(fp32Throughput), PerSecond(result.Metric(MetricNames.Throughput("student", 64)))), Ratio(throughputRatio)),
            new("peak memory, largest batch", Values(MiB(MetricNames.PeakMemory("teacher")), "-", MiB(MetricNames.PeakMemory("student"))), ""),
            new("ECE (15 bins)", Values(Ece(MetricNames.TeacherEce), "-", Ece(MetricNames.StudentEce)), ""),
        ];
    }

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
        if (Quantized(result))
        {
            lines.Add("(student fp32: before the quantize stage, measured by it beside the int8 model)");
        }
        if (GainLine(result) is string gain)
        {
            lines.Add(gain);
        }
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
        if (Quantized(result))
        {
            builder.AppendLine();
            builder.AppendLine("Student fp32: the student before the quantize stage, measured by that stage side by side with the int8 model.");
        }
        if (GainLine(result) is string gain)
        {
            builder.AppendLine();
            builder.AppendLine(gain);
        }
        return builder.ToString();
    }

    /// <summary>
    /// "KD gain +x.xx points (95% CI a..b, n=N)" when the distill stage compared with scratch; with one
    /// seed the interval is a bootstrap over test samples, and the line says so.
    /// </summary>
    public static string? GainLine(PipelineResult result)
    {
        if (result.Metric(MetricNames.DistillationGainPoints) is not double gain
            || result.Metric(MetricNames.DistillationGainLowPoints) is not double low
            || result.Metric(MetricNames.DistillationGainHighPoints) is not double high)
        {
            return null;
        }
        int repeats = (int)(result.Metric(MetricNames.DistillationGainRepeats) ?? 1);
        bool insideNoise = low <= 0 && high >= 0;
        string recovered = !insideNoise && result.Metric(MetricNames.DistillationGapRecovered) is double r
            ? string.Create(CultureInfo.InvariantCulture, $"; {r * 100:0}% of the scratch-to-teacher gap closed") : "";
        string noise = repeats >= 2 ? "over seeds and test samples" : "bootstrap over test samples: evaluation noise only";
        string verdict = insideNoise ? "; inside the noise" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"KD gain {gain:+0.00;-0.00} points (95% CI {low:+0.00;-0.00}..{high:+0.00;-0.00}, n={repeats}; {noise}{verdict}){recovered}");
    }

    private static bool Quantized(PipelineResult result) => result.Metric(MetricNames.StudentFp32Accuracy) is not null;
}

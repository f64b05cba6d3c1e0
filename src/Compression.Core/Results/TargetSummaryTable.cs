using System.Globalization;
using System.Text;
using Compression.Core.Targets;

namespace Compression.Core.Results;

/// <summary>
/// Teacher and student on each benchmark target, one column group per target (teacher, student, and
/// the student's gain over the teacher there), under the main summary table; a note per target says
/// where and on what it ran, and marks figures measured under emulation.
/// </summary>
public static class TargetSummaryTable
{
    /// <summary>The column headings after "metric".</summary>
    public static IReadOnlyList<string> Columns(PipelineResult result) =>
        [.. result.Targets.SelectMany(t => (string[])[$"{t.Name}: teacher", $"{t.Name}: student", $"{t.Name}: gain"])];

    public static IReadOnlyList<SummaryTable.Row> Rows(PipelineResult result)
    {
        string Ms(string name) => result.Metric(name) is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "-";
        string PerSecond(string name) => result.Metric(name) is double v ? v.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "-";
        string MiB(string name) => result.Metric(name) is double v ? (v / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "-";
        string Ratio(double? v, string suffix) => v is double r && double.IsFinite(r) ? r.ToString("0.00", CultureInfo.InvariantCulture) + suffix : "-";

        var batches = result.Metrics.Select(m => m.Name)
            .SelectMany(name => result.Targets.Where(t => name.StartsWith(t.Name + ".speedup.batch", StringComparison.Ordinal))
                .Select(t => int.Parse(name[(t.Name.Length + ".speedup.batch".Length)..], CultureInfo.InvariantCulture)))
            .Distinct().Order().ToList();
        var rows = new List<SummaryTable.Row>();
        foreach (int batch in batches)
        {
            rows.Add(Row($"p50 latency, batch {batch}", t => (Ms(TargetMetrics.Latency(t, "teacher", 50, batch)), Ms(TargetMetrics.Latency(t, "student", 50, batch)),
                Ratio(result.Metric(TargetMetrics.Speedup(t, batch)), "x"))));
            rows.Add(Row($"p95 latency, batch {batch}", t => (Ms(TargetMetrics.Latency(t, "teacher", 95, batch)), Ms(TargetMetrics.Latency(t, "student", 95, batch)),
                Ratio(result.Metric(TargetMetrics.Latency(t, "teacher", 95, batch)) / result.Metric(TargetMetrics.Latency(t, "student", 95, batch)), "x"))));
            rows.Add(Row($"throughput, batch {batch}", t => (PerSecond(TargetMetrics.Throughput(t, "teacher", batch)), PerSecond(TargetMetrics.Throughput(t, "student", batch)),
                Ratio(result.Metric(TargetMetrics.Throughput(t, "student", batch)) / result.Metric(TargetMetrics.Throughput(t, "teacher", batch)), "x"))));
        }
        rows.Add(Row("peak memory, largest batch", t => (MiB(TargetMetrics.PeakMemory(t, "teacher")), MiB(TargetMetrics.PeakMemory(t, "student")),
            Ratio(result.Metric(TargetMetrics.PeakMemory(t, "teacher")) / result.Metric(TargetMetrics.PeakMemory(t, "student")), "x"))));
        return rows;

        SummaryTable.Row Row(string label, Func<string, (string Teacher, string Student, string Gain)> cells) =>
            new(label, [.. result.Targets.SelectMany(t => cells(t.Name) is var (teacher, student, gain) ? (string[])[teacher, student, gain] : [])], "");
    }

    /// <summary>What the gain column means, then one line per target: where, on what, and the emulation label.</summary>
    public static IReadOnlyList<string> Notes(PipelineResult result) =>
        ["gain: teacher / student for latency and memory, student / teacher for throughput; above 1 favours the student",
        .. result.Targets.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Name}: {t.Where}; {t.Rid ?? "own runner"} ({t.Architecture}, {t.Os}), ONNX Runtime {t.OnnxRuntime}, {t.Threads} thread(s), {t.ExecutionProvider}, optimisation {t.GraphOptimization}; {t.Seconds:0.0} s")
            + (t.Emulated ? ". EMULATED: these figures show that the path works on that architecture, not its speed" : ""))];

    public static IReadOnlyList<string> ToText(PipelineResult result)
    {
        if (result.Targets.Count == 0)
        {
            return [];
        }
        var columns = Columns(result);
        var rows = Rows(result);
        int labelWidth = Math.Max("on target".Length, rows.Max(r => r.Label.Length));
        int[] widths = columns.Select((c, i) => Math.Max(c.Length, rows.Max(r => r.Values[i].Length))).ToArray();
        var lines = new List<string>
        {
            "",
            $"{"on target".PadRight(labelWidth)}  {string.Join("  ", columns.Select((c, i) => c.PadLeft(widths[i])))}",
            $"{new string('-', labelWidth)}  {string.Join("  ", widths.Select(w => new string('-', w)))}",
        };
        lines.AddRange(rows.Select(r => $"{r.Label.PadRight(labelWidth)}  {string.Join("  ", r.Values.Select((v, i) => v.PadLeft(widths[i])))}".TrimEnd()));
        lines.AddRange(Notes(result).Select(n => $"({n})"));
        return lines;
    }

    public static string ToMarkdown(PipelineResult result)
    {
        if (result.Targets.Count == 0)
        {
            return "";
        }
        var columns = Columns(result);
        var builder = new StringBuilder();
        builder.AppendLine();
        builder.AppendLine($"| on target | {string.Join(" | ", columns)} |");
        builder.AppendLine($"| --- | {string.Join(" | ", columns.Select(_ => "---:"))} |");
        foreach (var row in Rows(result))
        {
            builder.AppendLine($"| {row.Label} | {string.Join(" | ", row.Values)} |");
        }
        builder.AppendLine();
        foreach (string note in Notes(result))
        {
            builder.AppendLine($"- {note}.");
        }
        return builder.ToString();
    }
}

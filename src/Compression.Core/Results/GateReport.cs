using System.Globalization;
using System.Text;
using Compression.Core.Gate;

namespace Compression.Core.Results;

/// <summary>
/// The gate's verdicts for result.json (every budget, the baseline comparison, the summary table as
/// data, so a CI script renders them without re-deriving anything) and for report.md.
/// </summary>
public static class GateReport
{
    public static object BudgetsJson(PipelineResult result) => result.Budgets.Select(b => new
    {
        budget = b.Budget,
        metric = b.Metric,
        limit = b.Limit,
        actual = b.Actual,
        kind = b.AtLeast ? "min" : "max",
        passed = b.Passed,
        file = b.Location.FilePath,
        line = b.Location.Line,
        column = b.Location.Column,
    });

    public static object? BaselineJson(PipelineResult result) => result.Baseline is not BaselineComparison c ? null : new
    {
        path = c.Path,
        status = c.Status,
        accuracy = c.Accuracy is not AccuracyDelta a ? null : new
        {
            baseline = a.Baseline,
            current = a.Current,
            deltaPoints = a.Test.Difference.Mean,
            lowPoints = a.Test.Difference.Low,
            highPoints = a.Test.Difference.High,
            confidence = a.Test.Difference.Confidence,
            method = "McNemar exact",
            measure = a.Measure,
            onlyCurrent = a.Test.OnlyCurrent,
            onlyBaseline = a.Test.OnlyBaseline,
            samples = a.Test.Samples,
            pValue = a.Test.PValue,
            tolerancePoints = a.TolerancePoints,
            regressed = a.Regressed,
        },
        size = c.Size is not SizeDelta s ? null : new { baseline = s.Baseline, current = s.Current, tolerance = s.Tolerance, regressed = s.Regressed },
        latency = c.Latency.Select(l => new
        {
            batchSize = l.BatchSize,
            baselineMs = l.BaselineMs,
            currentMs = l.CurrentMs,
            change = l.Change.Mean,
            changeLow = l.Change.Low,
            changeHigh = l.Change.High,
            confidence = l.Change.Confidence,
            rounds = l.Change.N,
            tolerance = l.Tolerance,
            verdict = l.Verdict.ToString().ToLowerInvariant(),
            regressed = l.Regressed,
        }),
    };

    public static object SummaryJson(PipelineResult result) => new
    {
        columns = SummaryTable.Columns(result),
        rows = SummaryTable.Rows(result).Select(r => new { label = r.Label, values = r.Values, note = r.Note }),
        // One column group per benchmark target (teacher, student, gain), and a note per target (where, on what, emulated or not).
        targets = result.Targets.Count == 0 ? null : new
        {
            columns = TargetSummaryTable.Columns(result),
            rows = TargetSummaryTable.Rows(result).Select(r => new { label = r.Label, values = r.Values }),
            notes = TargetSummaryTable.Notes(result),
        },
    };

    /// <summary>"## Budgets" and "## Baseline" sections; empty when there is neither.</summary>
    /// <param name="result">The run.</param>
    /// <param name="reportFolder">The report's folder: paths are shown relative to it.</param>
    public static string ToMarkdown(PipelineResult result, string reportFolder)
    {
        var md = new StringBuilder();
        if (result.Budgets.Count > 0)
        {
            md.AppendLine("## Budgets");
            md.AppendLine();
            md.AppendLine("| budget | limit | measured | verdict |");
            md.AppendLine("| --- | ---: | ---: | --- |");
            foreach (BudgetVerdict b in result.Budgets)
            {
                string actual = b.Actual is double v ? MetricSet.Format(v) : "-";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {b.Budget} | {(b.AtLeast ? ">= " : "<= ")}{MetricSet.FormatLimit(b.Limit)} | {actual} | {(b.Passed ? "passed" : "**missed**")} |");
            }
            md.AppendLine();
        }
        if (result.Baseline is BaselineComparison c)
        {
            md.AppendLine("## Baseline");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"`{ResultWriter.Relative(reportFolder, c.Path)}`: {Status(c.Status)}");
            md.AppendLine();
            foreach (string line in Lines(c))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string Status(string status) => status switch
    {
        "void" => "**void**: the test data differs from the baseline's, so the students are not compared sample by sample (CMP3102).",
        "missing" => "does not exist yet (`compress run --update-baseline` writes it).",
        "written" => "written from this run.",
        _ => "compared.",
    };

    private static IEnumerable<string> Lines(BaselineComparison c)
    {
        if (c.Accuracy is AccuracyDelta a)
        {
            var d = a.Test.Difference;
            string verdict = a.Regressed ? "**a regression**" : d.Low > 0 ? "better" : d.High < 0 ? "worse, but not beyond the tolerance" : "no difference shown (inside the noise)";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{a.Measure} {a.Current * 100:0.00}% vs {a.Baseline * 100:0.00}%: {d.Describe()} by McNemar's exact test ({a.Test.OnlyCurrent} samples newly right, {a.Test.OnlyBaseline} newly wrong, p = {a.Test.PValue:0.####}; tolerance -{a.TolerancePoints:0.##} points): {verdict}");
        }
        if (c.Size is SizeDelta s)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"student ONNX {s.Current:N0} bytes vs {s.Baseline:N0} ({(s.Current - s.Baseline) * 100.0 / s.Baseline:+0.0;-0.0}%; tolerance +{s.Tolerance * 100:0.#}%){(s.Regressed ? ": **a regression**" : "")}");
        }
        foreach (LatencyDelta l in c.Latency)
        {
            string verdict = l.Verdict switch
            {
                LatencyVerdict.Regressed => "**a regression**",
                LatencyVerdict.Inconclusive => "**inconclusive** (too noisy to tell: re-run; CMP3105)",
                _ => "within the tolerance",
            };
            yield return string.Create(CultureInfo.InvariantCulture,
                $"student latency at batch {l.BatchSize}, timed beside the baseline's model: {l.CurrentMs:0.000} ms vs {l.BaselineMs:0.000} ms, {l.Change.Mean:0.00}x ({l.Change.Confidence * 100:0.##}% CI {l.Change.Low:0.00}x..{l.Change.High:0.00}x over {l.Change.N} interleaved rounds; tolerance {1 + l.Tolerance:0.00}x): {verdict}");
        }
    }
}

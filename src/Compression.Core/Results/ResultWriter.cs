using Compression.Abstractions.Artifacts;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Compression.Core.Diagnostics;

namespace Compression.Core.Results;

/// <summary>Writes result.json (for machines) and report.md (for people, and GitHub's step summary), atomically.</summary>
public static class ResultWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void WriteJson(PipelineResult result, string path)
    {
        var document = new
        {
            passed = result.Passed,
            config = result.ConfigPath,
            studentModel = result.StudentModelPath,
            teacherModel = result.TeacherModelPath,
            elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 2),
            bom = result.BomPath,
            // JSON has no NaN or Infinity: a metric that came out so is written as null.
            metrics = result.Metrics.ToDictionary(m => m.Name, m => double.IsFinite(m.Value) ? m.Value : (double?)null),
            findings = result.Findings.Select(f => new
            {
                severity = f.Severity,
                code = f.Code,
                message = f.Message,
                file = f.Location?.FilePath,
                line = f.Location?.Line,
                column = f.Location?.Column,
            }),
            stages = result.Stages.Select(s => new { id = s.Id, fromCache = s.FromCache, seconds = Math.Round(s.Duration.TotalSeconds, 2), cacheKey = s.CacheKey }),
            budgets = GateReport.BudgetsJson(result),
            baseline = GateReport.BaselineJson(result),
            summary = GateReport.SummaryJson(result),
            targets = result.Targets.Select(t => new
            {
                name = t.Name,
                kind = t.Kind,
                where = t.Where,
                rid = t.Rid,
                emulated = t.Emulated,
                architecture = t.Architecture,
                os = t.Os,
                onnxRuntime = t.OnnxRuntime,
                threads = t.Threads,
                executionProvider = t.ExecutionProvider,
                graphOptimization = t.GraphOptimization,
                seconds = Math.Round(t.Seconds, 2),
            }),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, s_json));
    }

    public static void WriteMarkdown(PipelineResult result, string path)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Compression report: {(result.Passed ? "passed" : "FAILED")}");
        md.AppendLine();
        string reportFolder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        md.AppendLine(CultureInfo.InvariantCulture, $"Config: `{Relative(reportFolder, result.ConfigPath)}` (relative to this report's folder); finished in {result.Elapsed.TotalSeconds:0.0} s.");
        md.AppendLine();
        if (result.ShippedInput is string input)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"The shipped model takes {input} (also in its metadata, key `{ShippedModel.InputMetadataKey}`).");
            md.AppendLine();
        }
        md.Append(SummaryTable.ToMarkdown(result));
        md.AppendLine();
        md.Append(GateReport.ToMarkdown(result, reportFolder));
        if (result.Findings.Count > 0)
        {
            md.AppendLine("## Gate");
            md.AppendLine();
            foreach (Finding finding in result.Findings)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{finding.Code}** ({finding.Severity.ToString().ToLowerInvariant()}): {finding.Message}");
            }
            md.AppendLine();
        }
        md.AppendLine("## Stages");
        md.AppendLine();
        foreach (StageRun stage in result.Stages)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {stage.Id}{(stage.FromCache ? " (cached)" : "")}");
            md.AppendLine();
            if (!string.IsNullOrWhiteSpace(stage.ReportMarkdown))
            {
                md.AppendLine(CopyLinkedFiles(stage.ReportMarkdown.TrimEnd(), Path.Combine(reportFolder, "cache", stage.CacheKey), reportFolder, stage.Id));
                md.AppendLine();
            }
        }
        if (result.ProvenanceMarkdown is string provenance)
        {
            md.AppendLine(provenance.TrimEnd());
            md.AppendLine();
        }
        md.AppendLine("## All metrics");
        md.AppendLine();
        md.AppendLine("| metric | value | unit |");
        md.AppendLine("| --- | ---: | --- |");
        foreach (var metric in result.Metrics)
        {
            string value = double.IsFinite(metric.Value) ? metric.Value.ToString("G6", CultureInfo.InvariantCulture) : "-";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {metric.Name} | {value} | {metric.Unit} |");
        }
        AtomicFile.WriteAllText(path, md.ToString());
    }

    /// <summary>The folder beside report.md that holds the files it shows (diagrams), so the two travel together.</summary>
    public const string FilesFolder = "report-files";

    /// <summary>
    /// A stage links files relative to its own output folder (e.g. <c>![](reliability.svg)</c>), a
    /// cache entry named by a hash. Each such file is copied into <see cref="FilesFolder"/> beside
    /// report.md as <c>&lt;stage&gt;-&lt;name&gt;</c> and linked there, so the report works wherever
    /// it and that folder are copied (a CI artifact, a pull request comment's attachment). Links
    /// to the web, anchors, absolute paths and files that do not exist are left as they are.
    /// </summary>
    public static string CopyLinkedFiles(string markdown, string stageFolder, string reportFolder, string stageId) =>
        System.Text.RegularExpressions.Regex.Replace(markdown, @"\]\((?!https?:|/|#)([^)\s]+)\)", m =>
        {
            string source = Path.GetFullPath(Path.Combine(stageFolder, m.Groups[1].Value));
            if (!source.StartsWith(Path.GetFullPath(stageFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(source))
            {
                return m.Value;
            }
            string name = $"{stageId}-{Path.GetFileName(source)}";
            AtomicFile.Copy(source, Path.Combine(reportFolder, FilesFolder, name));
            return $"]({FilesFolder}/{name})";
        });

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, with forward slashes (as Markdown links and CI logs show them).</summary>
    public static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');
}

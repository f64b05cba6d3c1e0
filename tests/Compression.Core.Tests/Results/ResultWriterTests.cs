using Compression.Core.Results;

namespace Compression.Core.Tests.Results;

public class ResultWriterTests
{
    [Fact]
    public void Files_a_stage_links_are_copied_beside_the_report_and_linked_there_so_the_report_can_move()
    {
        using var folder = new TempFolder();
        string stage = Path.Combine(folder.Path, "work", "cache", "abc");
        Directory.CreateDirectory(stage);
        File.WriteAllText(Path.Combine(stage, "reliability.svg"), "<svg/>");
        string markdown = "![diagram](reliability.svg) and [docs](https://example.org/x) and [top](#gate) and [abs](/tmp/a.svg) and [gone](missing.svg) and [out](../../x.svg)";

        string rebased = ResultWriter.CopyLinkedFiles(markdown, stage, Path.Combine(folder.Path, "work"), "calibrate");

        Assert.Equal("![diagram](report-files/calibrate-reliability.svg) and [docs](https://example.org/x) and [top](#gate) and [abs](/tmp/a.svg) and [gone](missing.svg) and [out](../../x.svg)", rebased);
        Assert.Equal("<svg/>", File.ReadAllText(Path.Combine(folder.Path, "work", "report-files", "calibrate-reliability.svg")));
    }

    [Fact]
    public void The_report_names_the_config_relative_to_its_own_folder()
    {
        using var folder = new TempFolder();
        string work = Path.Combine(folder.Path, "app", "obj", "compression");
        var result = new PipelineResult(Path.Combine(folder.Path, "app", "compression.json"), [], [], [], "/x/s.onnx", "/x/t.onnx", TimeSpan.FromSeconds(1));

        ResultWriter.WriteMarkdown(result, Path.Combine(work, "report.md"));

        string report = File.ReadAllText(Path.Combine(work, "report.md"));
        Assert.Contains("Config: `../../compression.json` (relative to this report's folder)", report);
        Assert.DoesNotContain(folder.Path, report);
    }

    /// <summary>Issue 12: an empty split once made a metric NaN and result.json crashed ("Infinity cannot be written as valid JSON").</summary>
    [Fact]
    public void Metrics_that_are_not_finite_are_written_as_null_and_shown_as_a_dash()
    {
        using var folder = new TempFolder();
        var metrics = new[]
        {
            new Abstractions.Metrics.Metric(Abstractions.Metrics.MetricNames.StudentAccuracy, double.NaN),
            new Abstractions.Metrics.Metric(Abstractions.Metrics.MetricNames.TeacherAccuracy, double.PositiveInfinity),
            new Abstractions.Metrics.Metric(Abstractions.Metrics.MetricNames.StudentModelBytes, 1234),
        };
        var result = new PipelineResult("/x/compression.json", metrics, [], [], "/x/s.onnx", "/x/t.onnx", TimeSpan.FromSeconds(1));
        string json = Path.Combine(folder.Path, "result.json");
        string markdown = Path.Combine(folder.Path, "report.md");

        ResultWriter.WriteJson(result, json);
        ResultWriter.WriteMarkdown(result, markdown);

        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!["metrics"]!;
        Assert.Null(written[Abstractions.Metrics.MetricNames.StudentAccuracy]);
        Assert.Null(written[Abstractions.Metrics.MetricNames.TeacherAccuracy]);
        Assert.Equal(1234, written[Abstractions.Metrics.MetricNames.StudentModelBytes]!.GetValue<double>());
        string report = File.ReadAllText(markdown);
        Assert.Contains("| test accuracy | - | - |", report);
        Assert.Contains($"| {Abstractions.Metrics.MetricNames.StudentAccuracy} | - |", report);
        Assert.Contains($"| {Abstractions.Metrics.MetricNames.TeacherAccuracy} | - |", report);
        Assert.Contains($"| {Abstractions.Metrics.MetricNames.StudentModelBytes} | 1234 |", report);
    }

    [Fact]
    public void The_report_says_what_input_the_shipped_model_takes_and_nothing_when_none_was_copied()
    {
        using var folder = new TempFolder();
        var result = new PipelineResult("/x/compression.json", [], [], [], "/x/s.onnx", "/x/t.onnx", TimeSpan.FromSeconds(1));
        string shipped = Path.Combine(folder.Path, "shipped.md");
        string kept = Path.Combine(folder.Path, "kept.md");

        ResultWriter.WriteMarkdown(result with { ShippedInput = "raw features; the graph multiplies them by 0.003921569" }, shipped);
        ResultWriter.WriteMarkdown(result, kept);

        Assert.Contains("The shipped model takes raw features; the graph multiplies them by 0.003921569 (also in its metadata, key `compression.input`).", File.ReadAllText(shipped));
        Assert.DoesNotContain("shipped model", File.ReadAllText(kept));
    }
}

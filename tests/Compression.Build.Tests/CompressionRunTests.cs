using System.Reflection;
using Microsoft.Build.Framework;

namespace Compression.Build.Tests;

public class CompressionRunTests
{
    private static (CompressionRun Task, RecordingBuildEngine Engine) Create(string config, string host)
    {
        var engine = new RecordingBuildEngine();
        var task = new CompressionRun
        {
            BuildEngine = engine,
            ConfigFile = config,
            HostPath = host,
            WorkDirectory = "/app/obj/compression/",
            CopyModelTo = "/app/bin/model.onnx",
        };
        return (task, engine);
    }

    private static void Invoke(CompressionRun task, string method, params object[] arguments) =>
        typeof(CompressionRun).GetMethod(method, BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(task, arguments);

    [Fact]
    public void Arguments_are_a_command_a_user_can_paste()
    {
        var (task, _) = Create("/my app/compression.json", "/tools/compress.dll");
        task.WarnOnly = true;
        Assert.Equal(
            "/tools/compress.dll run --config \"/my app/compression.json\" --work-dir /app/obj/compression/ --copy-model-to /app/bin/model.onnx --warn-only",
            task.BuildArguments().ToString());
    }

    [Fact]
    public void CompressionUpdateBaseline_passes_update_baseline()
    {
        var (task, _) = Create("/app/compression.json", "/tools/compress.dll");
        task.UpdateBaseline = true;
        Assert.EndsWith(" --update-baseline", task.BuildArguments().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CompressionTeacherCache_passes_teacher_cache_and_nothing_when_empty()
    {
        var (task, _) = Create("/app/compression.json", "/tools/compress.dll");
        Assert.DoesNotContain("--teacher-cache", task.BuildArguments().ToString(), StringComparison.Ordinal);
        task.TeacherCache = "/shared/teachers";
        Assert.EndsWith(" --teacher-cache /shared/teachers", task.BuildArguments().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plugins_from_the_CompressionPlugin_item_are_passed_by_full_path()
    {
        var (task, _) = Create("/app/compression.json", "/tools/compress.dll");
        task.Plugins = [new Microsoft.Build.Utilities.TaskItem("/packages/acme/1.0.0/lib/net10.0/Acme.Distill.dll"), new Microsoft.Build.Utilities.TaskItem("/other plugins/B.dll")];

        Assert.Equal(
            "/tools/compress.dll run --config /app/compression.json --work-dir /app/obj/compression/ --copy-model-to /app/bin/model.onnx --plugin /packages/acme/1.0.0/lib/net10.0/Acme.Distill.dll --plugin \"/other plugins/B.dll\"",
            task.BuildArguments().ToString());
    }

    [Fact]
    public void Validation_reports_every_missing_file_before_running()
    {
        var (task, engine) = Create("/nonexistent/compression.json", "/nonexistent/compress.dll");
        bool valid = (bool)typeof(CompressionRun).GetMethod("ValidateParameters", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(task, [])!;
        Assert.False(valid);
        Assert.Equal(["CMP1001", "CMP9002"], engine.Errors.Select(e => e.Code));
        Assert.Equal("/nonexistent/compression.json", engine.Errors[0].File);
    }

    [Fact]
    public void Without_findings_sarif_a_printed_canonical_line_becomes_an_error_at_its_location_once_compress_exits()
    {
        var (task, engine) = Create("/app/compression.json", "/tools/compress.dll");
        Invoke(task, "LogEventsFromTextOutput", "/app/compression.json(53,5): error CMP3001: retention 0.97 is below 0.98", MessageImportance.Normal);
        Assert.Empty(engine.Errors);
        Invoke(task, "ReportFindings");
        BuildErrorEventArgs error = Assert.Single(engine.Errors);
        Assert.Equal(("CMP3001", "/app/compression.json", 53, 5), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        Assert.Equal("retention 0.97 is below 0.98", error.Message);
    }

    [Fact]
    public void Progress_is_a_high_importance_message()
    {
        var (task, engine) = Create("/app/compression.json", "/tools/compress.dll");
        Invoke(task, "LogEventsFromTextOutput", "compress: distill: kd epoch 1/15", MessageImportance.Normal);
        Assert.Equal(MessageImportance.High, Assert.Single(engine.Messages).Importance);
    }

    [Fact]
    public void A_failing_exit_without_a_reported_error_never_fails_silently()
    {
        var (task, engine) = Create("/app/compression.json", "/tools/compress.dll");
        typeof(Microsoft.Build.Utilities.ToolTask).GetProperty("ExitCode")!.SetValue(task, 1);
        Invoke(task, "HandleTaskExecutionErrors");
        Assert.Equal("CMP9003", Assert.Single(engine.Errors).Code);
    }

    [Fact]
    public void Exit_code_3_points_at_the_log()
    {
        var (task, engine) = Create("/app/compression.json", "/tools/compress.dll");
        typeof(Microsoft.Build.Utilities.ToolTask).GetProperty("ExitCode")!.SetValue(task, 3);
        Invoke(task, "HandleTaskExecutionErrors");
        var error = Assert.Single(engine.Errors);
        Assert.Equal("CMP9004", error.Code);
        Assert.Contains("compress.log", error.Message);
    }

    /// <summary>
    /// Issue 12: CompressionFailOnBudget=false passes --warn-only, and compress alone decides what is a
    /// warning: only missed budgets (CMP3xxx). The task never downgrades a config or data error.
    /// </summary>
    [Fact]
    public void With_warn_only_a_config_error_stays_an_error_and_a_missed_budget_is_a_warning()
    {
        var (task, engine) = Create("/app/compression.json", "/tools/compress.dll");
        task.WarnOnly = true;

        Invoke(task, "LogEventsFromTextOutput", "/app/compression.json(12,7): error CMP1004: 'stages[0].settings.batchSize' must be at least 1", MessageImportance.Normal);
        Invoke(task, "LogEventsFromTextOutput", "/app/compression.json(53,5): warning CMP3001: retention 0.97 is below 0.98", MessageImportance.Normal);
        Invoke(task, "ReportFindings");

        Assert.Equal("CMP1004", Assert.Single(engine.Errors).Code);
        Assert.Equal("CMP3001", Assert.Single(engine.Warnings).Code);
    }

    [Fact]
    public void Findings_come_from_findings_sarif_when_compress_wrote_it_not_from_the_printed_text()
    {
        string work = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, "findings.sarif"), """
                {
                  "version": "2.1.0",
                  "runs": [ { "tool": { "driver": { "name": "compress" } }, "results": [
                    { "ruleId": "CMP3101", "level": "error", "message": { "text": "student latency rose: 2.00x" },
                      "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///my%20app/compression.json" }, "region": { "startLine": 71, "startColumn": 86 } } } ] },
                    { "ruleId": "CMP5010", "level": "warning", "message": { "text": "kept fp32" } } ] } ]
                }
                """);
            var (task, engine) = Create("/my app/compression.json", "/tools/compress.dll");
            task.WorkDirectory = work;
            Invoke(task, "LogEventsFromTextOutput", "/my app/compression.json(1,1): error CMP3101: printed text, not reported", MessageImportance.Normal);

            Invoke(task, "ReportFindings");

            BuildErrorEventArgs error = Assert.Single(engine.Errors);
            Assert.Equal(("CMP3101", "/my app/compression.json", 71, 86, "student latency rose: 2.00x"), (error.Code, error.File, error.LineNumber, error.ColumnNumber, error.Message));
            BuildWarningEventArgs warning = Assert.Single(engine.Warnings);
            Assert.Equal(("CMP5010", 0), (warning.Code, warning.LineNumber)); // no location: MSBuild names the project
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

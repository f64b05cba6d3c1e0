using System.CommandLine;
using Compression.Core.Config;
using Compression.Core.Planning;
using Compression.Core.Running;
using Compression.Abstractions.Stages;
using Compression.Host.Console;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Commands;

/// <summary><c>compress run</c>: runs the pipeline and applies the gate.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.ConfigArgument();
        var configOption = CommonOptions.ConfigOption();
        var workDir = new Option<string?>("--work-dir") { Description = "Cache and results folder (default: obj/compression beside the config)" };
        var copyModelTo = new Option<string?>("--copy-model-to") { Description = "Copy the final student ONNX file here" };
        var warnOnly = new Option<bool>("--warn-only") { Description = "Report missed budgets as warnings and exit 0" };
        var updateBaseline = new Option<bool>("--update-baseline") { Description = "Write the baseline file from this run" };
        var teacherCache = new Option<string?>("--teacher-cache")
        {
            Description = $"Folder for trained teachers and their outputs, shared by the projects on this machine, or 'off' for the work folder's cache (default: ${Compression.Core.Cache.SharedTeacherCache.EnvironmentVariable}, else $XDG_CACHE_HOME/compression/teachers or ~/.cache/compression/teachers)",
        };
        var noColor = new Option<bool>("--no-color") { Description = "Accepted for compatibility; output is never coloured" };
        var verbose = CommonOptions.Verbose();
        var plugins = CommonOptions.Plugins();
        var command = new Command("run", "Run the pipeline in compression.json and gate the result")
        {
            config, configOption, workDir, copyModelTo, warnOnly, updateBaseline, teacherCache, noColor, verbose, plugins,
        };
        command.SetAction((result, _) =>
        {
            string configPath = CommonOptions.ResolveConfig(result, config, configOption);
            bool asWarnings = result.GetValue(warnOnly);
            var reporter = new ConsoleReporter(System.Console.Out, asWarnings);
            string requested = result.GetValue(workDir) ?? Path.Combine(Path.GetDirectoryName(configPath)!, "obj", "compression");
            string? work = requested.Contains('\0', StringComparison.Ordinal) ? null : Path.GetFullPath(requested);
            return CommandGuard.RunAsync(reporter, work, async () =>
            {
                string? copyTo = result.GetValue(copyModelTo) is string copy ? CopyTarget.Check(copy) : null;
                work = WorkFolder.Prepare(requested);
                LoadedConfig loaded = ConfigLoader.Load(configPath);
                var (host, _) = PipelineServices.Build(loaded, result.GetValue(verbose), result.GetValue(plugins));
                using (host)
                {
                    var plan = new PlanBuilder(host.Services.GetServices<IStage>(), host.Services).Build(loaded);
                    var runner = host.Services.GetRequiredService<PipelineRunner>();
                    var options = new RunOptions(work, copyTo, result.GetValue(updateBaseline),
                        Compression.Core.Cache.SharedTeacherCache.Resolve(result.GetValue(teacherCache)));
                    var outcome = await runner.RunAsync(loaded, plan, options, reporter, Shutdown.Token);
                    reporter.Summary(outcome);
                    reporter.Findings(outcome.Findings);
                    reporter.Report($"report: {Path.Combine(work, "report.md")}");
                    return ExitCodes.Of(outcome, asWarnings);
                }
            });
        });
        return command;
    }
}

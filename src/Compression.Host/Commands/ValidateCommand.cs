using System.CommandLine;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Planning;
using Compression.Host.Console;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Commands;

/// <summary><c>compress validate</c>: checks the config and the plan without running anything.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.ConfigArgument();
        var configOption = CommonOptions.ConfigOption();
        var plugins = CommonOptions.Plugins();
        var command = new Command("validate", "Check compression.json and the stage plan without running anything") { config, configOption, plugins };
        command.SetAction((result, _) =>
        {
            var reporter = new ConsoleReporter(System.Console.Out, budgetMissesAsWarnings: false);
            return CommandGuard.RunAsync(reporter, null, () =>
            {
                LoadedConfig loaded = ConfigLoader.Load(CommonOptions.ResolveConfig(result, config, configOption));
                var (host, _) = PipelineServices.Build(loaded, verbose: false, result.GetValue(plugins));
                using (host)
                {
                    PipelinePlan plan = new PlanBuilder(host.Services.GetServices<IStage>(), host.Services).Build(loaded);
                    Compression.Core.Gate.BaselineGate.ReadCommitted(loaded, update: false); // an unreadable baseline is bad input too
                    reporter.Report($"{loaded.FilePath} is valid: {string.Join(" -> ", plan.Stages.Select(s => s.Id))}");
                    return Task.FromResult(ExitCodes.Passed);
                }
            });
        });
        return command;
    }
}

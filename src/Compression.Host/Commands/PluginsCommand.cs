using System.CommandLine;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Host.Console;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Commands;

/// <summary><c>compress plugins</c>: lists the loaded plugins, their stages and distillation methods.</summary>
public static class PluginsCommand
{
    public static Command Create()
    {
        var configOption = CommonOptions.ConfigOption();
        var plugins = CommonOptions.Plugins();
        var command = new Command("plugins", "List plugins, stages, distillation methods and data formats (add --config to include a config's plugins)") { configOption, plugins };
        command.SetAction((result, _) =>
        {
            var reporter = new ConsoleReporter(System.Console.Out, budgetMissesAsWarnings: false);
            return CommandGuard.RunAsync(reporter, null, () =>
            {
                LoadedConfig? loaded = result.GetValue(configOption) is string path ? ConfigLoader.Load(Path.GetFullPath(path)) : null;
                var (host, catalog) = PipelineServices.Build(loaded, verbose: false, result.GetValue(plugins));
                using (host)
                {
                    reporter.Line("plugins:");
                    foreach (var plugin in catalog.Plugins)
                    {
                        reporter.Line($"  {plugin.Name} {plugin.Version}  ({plugin.AssemblyPath})");
                    }
                    reporter.Line("stages:");
                    foreach (IStage stage in host.Services.GetServices<IStage>().OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        string flow = $"[{string.Join(", ", stage.Consumes.Select(k => k.Name))}] -> [{string.Join(", ", stage.Produces.Select(k => k.Name))}]";
                        reporter.Line($"  {stage.Name,-12} {flow,-36} {stage.Description}");
                    }
                    reporter.Line("distillation methods:");
                    var methods = DistillationMethodCatalog.From(host.Services).Methods.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
                    int width = Math.Max(12, methods.Select(m => m.Name.Length).DefaultIfEmpty(0).Max());
                    foreach (IDistillationMethod method in methods)
                    {
                        reporter.Line($"  {method.Name.PadRight(width)} {method.Description}");
                    }
                    var evaluators = Compression.Core.Evaluation.EvaluatorRegistry.From(host.Services);
                    reporter.Line($"evaluation tasks: {string.Join(", ", evaluators.Tasks)}");
                    // Built-in kinds first, then what plugins registered (the host made them current in Build).
                    reporter.Line("layer kinds:");
                    reporter.Line($"  {string.Join(", ", Compression.Models.Layers.LayerTypes.Current.All.Select(t => t.Name))}");
                    reporter.Line("data formats:");
                    foreach (var format in Compression.Core.Running.DataFormats.From(host.Services).All)
                    {
                        reporter.Line($"  {format.Name,-12} files [{string.Join(", ", format.FileKeys)}]  ({format.GetType().Assembly.GetName().Name})");
                    }
                    return Task.FromResult(ExitCodes.Passed);
                }
            });
        });
        return command;
    }
}

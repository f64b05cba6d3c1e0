using System.CommandLine;
using System.Text.Json;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Running;
using Compression.Host.Console;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Commands;

/// <summary><c>compress schema</c>: prints the JSON Schema of compression.json, including every loaded stage's settings.</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var plugins = CommonOptions.Plugins();
        var command = new Command("schema", "Print the JSON schema of compression.json (for editor completion)") { plugins };
        command.SetAction((result, _) =>
        {
            var reporter = new ConsoleReporter(System.Console.Out, budgetMissesAsWarnings: false);
            return CommandGuard.RunAsync(reporter, null, () =>
            {
                var (host, _) = PipelineServices.Build(config: null, verbose: false, result.GetValue(plugins));
                using (host)
                {
                    // Plugin stages document their settings, plugin data formats theirs under data.settings.
                    var schema = SchemaGenerator.Generate(host.Services.GetServices<IStage>(), DataFormats.From(host.Services));
                    System.Console.Out.WriteLine(schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
                return Task.FromResult(ExitCodes.Passed);
            });
        });
        return command;
    }
}

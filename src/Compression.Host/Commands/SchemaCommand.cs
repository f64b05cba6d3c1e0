using System.CommandLine;
using System.Text.Json;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Commands;

/// <summary><c>compress schema</c>: prints the JSON Schema of compression.json, including every loaded stage's settings.</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON schema of compression.json (for editor completion)");
        command.SetAction(_ =>
        {
            var (host, _) = PipelineServices.Build(config: null, verbose: false);
            using (host)
            {
                var schema = SchemaGenerator.Generate(host.Services.GetServices<IStage>());
                System.Console.Out.WriteLine(schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            return ExitCodes.Passed;
        });
        return command;
    }
}

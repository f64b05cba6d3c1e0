using System.CommandLine;
using Compression.Core.Provenance;
using Compression.Host.Console;

namespace Compression.Host.Commands;

/// <summary><c>compress inspect model.onnx</c>: prints the lineage a shipped model carries in its metadata.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "An ONNX model a build shipped (e.g. bin/Debug/net10.0/model.onnx)" };
        var command = new Command("inspect", "Print the provenance a shipped model carries: tool, config and teacher hashes, licence, lineage, metrics") { model };
        command.SetAction((result, _) =>
        {
            var reporter = new ConsoleReporter(System.Console.Out, budgetMissesAsWarnings: false);
            return CommandGuard.RunAsync(reporter, null, () =>
            {
                foreach (string line in ModelProvenance.Describe(result.GetValue(model)!))
                {
                    reporter.Report(line);
                }
                return Task.FromResult(ExitCodes.Passed);
            });
        });
        return command;
    }
}

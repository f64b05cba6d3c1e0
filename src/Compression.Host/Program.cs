using System.CommandLine;
using Compression.Host;
using Compression.Host.Commands;

var root = new RootCommand("compress: distill, compress, benchmark and gate neural networks (usually run by `dotnet build`)")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    PluginsCommand.Create(),
    SchemaCommand.Create(),
};
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"compress: {error.Message}");
    }
    Console.Error.WriteLine("compress: see `compress --help`");
    return ExitCodes.BadInput;
}
// Ctrl+C cancels Shutdown.Token; the commands unwind and exit 130 themselves, so System.CommandLine's
// own handler (which exits after a timeout, possibly mid-cleanup) is turned off.
Shutdown.Install();
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

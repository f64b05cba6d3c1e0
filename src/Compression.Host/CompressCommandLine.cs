using System.CommandLine;
using Compression.Host.Commands;

namespace Compression.Host;

/// <summary>
/// The `compress` command line. Public so that the runtime project the packed MSBuild package
/// generates (which restores TorchSharp, libtorch and ONNX Runtime from NuGet) can start it.
/// </summary>
public static class CompressCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        OpenMpWaitPolicy.PreferPassive();
        var root = new RootCommand("compress: distill, compress, benchmark and gate neural networks (usually run by `dotnet build`)")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            PluginsCommand.Create(),
            SchemaCommand.Create(),
            InspectCommand.Create(),
            ProbeMemoryCommand.Create(),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                System.Console.Error.WriteLine($"compress: {error.Message}");
            }
            System.Console.Error.WriteLine("compress: see `compress --help`");
            return ExitCodes.BadInput;
        }

        // Ctrl+C cancels Shutdown.Token; the commands unwind and exit 130 themselves, so System.CommandLine's
        // own handler (which exits after a timeout, possibly mid-cleanup) is turned off.
        Shutdown.Install();
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}

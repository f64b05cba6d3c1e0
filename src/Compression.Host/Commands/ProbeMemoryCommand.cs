using System.CommandLine;
using System.Globalization;
using Compression.Host.Memory;

namespace Compression.Host.Commands;

/// <summary>
/// <c>compress probe-memory model.onnx --batch N --threads T</c> (hidden): prints the peak resident
/// bytes of running the model, measured in this fresh process. The benchmark stage runs it, through
/// <see cref="ChildProcessMemoryProbe"/>, once per model and batch size.
/// </summary>
public static class ProbeMemoryCommand
{
    public const string Name = "probe-memory";

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "ONNX model file" };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads", DefaultValueFactory = _ => 1 };
        var command = new Command(Name, "Print the peak memory of running one ONNX model (used by the benchmark stage)") { model, batch, threads };
        command.Hidden = true;
        command.SetAction(result =>
        {
            string path = result.GetValue(model)!;
            if (!File.Exists(path))
            {
                System.Console.Error.WriteLine($"compress: {path}: no such model file");
                return ExitCodes.BadInput;
            }
            long bytes = ModelMemoryMeasurement.PeakBytes(path, Math.Max(1, result.GetValue(batch)), Math.Max(1, result.GetValue(threads)));
            System.Console.Out.WriteLine(bytes.ToString(CultureInfo.InvariantCulture));
            return ExitCodes.Passed;
        });
        return command;
    }
}

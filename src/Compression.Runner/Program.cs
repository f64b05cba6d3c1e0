using System.Globalization;
using Compression.Runner;

// compression-runner bench --model teacher=t.onnx --model student=s.onnx --batch 1 --batch 64 ...
//   prints one JSON object (ReportWriter) on stdout, progress on stderr; exit 0, 2 (bad request) or 3.
// compression-runner memory --model m=PATH --batch N ...   (internal: one model's peak memory, in bytes)
// compression-runner --version
if (args.Length == 1 && args[0] == "--version")
{
    Console.WriteLine($"compression-runner protocol {ReportWriter.Protocol}");
    return 0;
}
try
{
    if (args.Length == 0 || args[0] is not ("bench" or "memory"))
    {
        throw new RunnerUsageException("usage: compression-runner bench --model NAME=PATH [--model ...] [--batch N ...] [--warmup N] [--iterations N] [--repeats N] [--threads N] [--provider NAME] [--optimization disabled|basic|extended|all] [--seed N] [--no-memory]");
    }
    RunnerOptions options = RunnerOptions.Parse(args[1..]);
    if (args[0] == "memory")
    {
        Console.WriteLine(PeakMemory.Measure(options.Models[0].Path, options.BatchSizes.Max(), options).ToString(CultureInfo.InvariantCulture));
        return 0;
    }
    List<ModelResult> results = InterleavedBenchmark.Run(options, Console.Error);
    if (options.Memory)
    {
        foreach (ModelResult result in results)
        {
            try
            {
                result.PeakMemoryBytes = PeakMemory.InChild(options.Models.Single(m => m.Name == result.Name).Path, options.BatchSizes.Max(), options);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                // The runner cannot start itself again (run through an emulator without binfmt, say): the
                // latencies stand, memory is left out of the answer (the protocol makes it optional).
                Console.Error.WriteLine($"compression-runner: peak memory not measured: cannot start a child runner ({ex.Message}); pass --no-memory to skip it");
                break;
            }
        }
    }
    using Stream stdout = Console.OpenStandardOutput();
    ReportWriter.Write(stdout, options, results);
    return 0;
}
catch (RunnerUsageException ex)
{
    Console.Error.WriteLine($"compression-runner: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"compression-runner: {ex.Message}");
    return 3;
}

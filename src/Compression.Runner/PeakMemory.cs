using System.Diagnostics;
using System.Globalization;

namespace Compression.Runner;

/// <summary>
/// Peak memory of one model, each in a fresh process of this same runner (<c>memory --model m=PATH --batch N
/// ...</c>): load ONNX Runtime, note the resident memory, create the session and run it a few times,
/// report the peak above that baseline. A process per model keeps one model's arena out of the other's figure.
/// </summary>
internal static class PeakMemory
{
    private const int Runs = 3;

    /// <summary>Runs in the child: prints the peak in bytes.</summary>
    public static long Measure(string path, int batchSize, RunnerOptions options)
    {
        _ = Microsoft.ML.OnnxRuntime.OrtEnv.Instance();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = ResidentMemory.CurrentBytes();
        ResidentMemory.TryResetPeak();
        using (var model = new TimedModel(path, batchSize, options))
        {
            for (int i = 0; i < Runs; i++)
            {
                model.RunOnce();
            }
        }
        return Math.Max(0, ResidentMemory.PeakBytes() - baseline);
    }

    /// <summary>Runs in the parent: starts the child for one model and reads its figure.</summary>
    public static long InChild(string path, int batchSize, RunnerOptions options)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("the runner's own path is unknown"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet compression-runner.dll` (the framework-dependent build) the process is dotnet.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PeakMemory).Assembly.Location);
        }
        foreach (string argument in new[]
        {
            "memory", "--model", "model=" + path, "--batch", batchSize.ToString(CultureInfo.InvariantCulture), "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
            "--provider", options.Provider, "--optimization", options.Optimization, "--warmup", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && long.TryParse(stdout, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
            ? bytes
            : throw new InvalidOperationException($"measuring the memory of {path} failed (exit {process.ExitCode}): {stderr.Result.Trim()} {stdout}".Trim());
    }
}

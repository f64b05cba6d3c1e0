using System.Diagnostics;
using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Host.Commands;

namespace Compression.Host.Memory;

/// <summary>
/// The host's <see cref="IModelMemoryProbe"/>: runs `compress probe-memory` (this same program) in a
/// child process per measurement, so each model's peak is its own.
/// </summary>
internal sealed class ChildProcessMemoryProbe : IModelMemoryProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public long PeakBytes(string onnxModelPath, int batchSize, int intraOpThreads, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("the host's own executable path is unknown"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet compress.dll` the process is dotnet and the program is the entry assembly; under an apphost it is the program itself.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("the host's entry assembly is unknown"));
        }
        foreach (string argument in new[] { ProbeMemoryCommand.Name, onnxModelPath, "--batch", batchSize.ToString(CultureInfo.InvariantCulture), "--threads", intraOpThreads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"measuring the memory of {onnxModelPath} took longer than {s_timeout.TotalMinutes} minutes");
        }
        string output = stdout.GetAwaiter().GetResult().Trim();
        if (process.ExitCode != 0 || !long.TryParse(output, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
        {
            throw new InvalidOperationException($"measuring the memory of {onnxModelPath} failed (exit {process.ExitCode}): {stderr.GetAwaiter().GetResult().Trim()} {output}".Trim());
        }
        return bytes;
    }
}

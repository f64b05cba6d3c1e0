using System.Diagnostics;
using System.Text;

namespace Compression.Core.Targets;

/// <summary>
/// Runs a program to completion or to a deadline, whichever comes first: output is drained as it
/// comes (a child that fills a pipe nobody reads would hang), and on the deadline or Ctrl+C the
/// whole process tree is killed. Nothing here may wait without a bound.
/// </summary>
public static class BoundedProcess
{
    /// <summary>How a run ended.</summary>
    /// <param name="ExitCode">The exit code; -1 when it was killed at the deadline.</param>
    /// <param name="Stdout">Everything it wrote to stdout.</param>
    /// <param name="Stderr">Everything it wrote to stderr.</param>
    /// <param name="TimedOut">Whether the deadline killed it.</param>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    public static async Task<Outcome> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onStderrLine = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
                onStderrLine?.Invoke(e.Data);
            }
        };
        process.Start();
        // No input: a program that asks (a password, a host key question) reads end-of-file, not a hang.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }
        // Waits for the output pipes to close (bounded: the tree is gone or done).
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A grandchild that kept a pipe open; what was read so far is the answer.
            }
        }
        lock (stdout)
        {
            lock (stderr)
            {
                return new Outcome(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}

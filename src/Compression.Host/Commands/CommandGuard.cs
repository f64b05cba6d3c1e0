using Compression.Core.Diagnostics;
using Compression.Core.Results;
using Compression.Host.Console;

namespace Compression.Host.Commands;

/// <summary>
/// Turns every way a command can end into an exit code: bad input (2) with its findings,
/// cancellation (130), and our own bugs (3) with the stack trace written to compress.log rather
/// than thrown at the user.
/// </summary>
public static class CommandGuard
{
    /// <param name="reporter">Where the user reads the outcome.</param>
    /// <param name="workDirectory">The run's work folder: the compress.log of an internal error and the
    /// findings.sarif of every outcome go there; null for commands that have none (the log goes to the temp folder).</param>
    /// <param name="body">The command.</param>
    public static async Task<int> RunAsync(ConsoleReporter reporter, string? workDirectory, Func<Task<int>> body)
    {
        int exitCode = await GuardAsync(reporter, workDirectory, body);
        if (workDirectory is not null)
        {
            WriteSarif(reporter, workDirectory, exitCode);
        }
        return exitCode;
    }

    /// <summary>findings.sarif for the MSBuild task, the GitHub action and code scanning; never fails the command.</summary>
    private static void WriteSarif(ConsoleReporter reporter, string workDirectory, int exitCode)
    {
        try
        {
            if (Directory.Exists(workDirectory))
            {
                SarifLog.Write(Path.Combine(workDirectory, SarifLog.FileName), reporter.Reported, reporter.BudgetMissesAsWarnings, exitCode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reporter.Report($"could not write {SarifLog.FileName} ({ex.Message}); the findings above are complete");
        }
    }

    private static async Task<int> GuardAsync(ConsoleReporter reporter, string? workDirectory, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CompressionException ex)
        {
            reporter.Findings(ex.Findings);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (Compression.Core.Running.DiskFull.Is(ex))
        {
            reporter.Findings([new Finding(Severity.Error, ErrorCodes.DiskFull,
                $"the disk is full ({ex.Message}): free some space or move the work folder (--work-dir); nothing partial was kept in the cache", null)]);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            reporter.Report("cancelled; nothing partial was kept in the cache");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            string log = Path.Combine(workDirectory ?? Path.GetTempPath(), "compress.log");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(log)!);
                await File.AppendAllTextAsync(log, $"[{DateTimeOffset.UtcNow:O}] {ex}\n");
            }
            catch (IOException)
            {
                log = "(could not write the log)";
            }
            reporter.Findings([new Finding(Severity.Error, ErrorCodes.InternalError,
                $"internal error: {ex.GetType().Name}: {ex.Message} (this is a bug; details in {log})", null)]);
            return ExitCodes.InternalError;
        }
    }
}

using Compression.Core.Diagnostics;
using Compression.Host.Console;

namespace Compression.Host.Commands;

/// <summary>
/// Turns every way a command can end into an exit code: bad input (2) with its findings,
/// cancellation (130), and our own bugs (3) with the stack trace written to compress.log rather
/// than thrown at the user.
/// </summary>
public static class CommandGuard
{
    public static async Task<int> RunAsync(ConsoleReporter reporter, string? workDirectory, Func<Task<int>> body)
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
            reporter.Line($"compress: error {ErrorCodes.DiskFull}: the disk is full ({ex.Message}): free some space or move the work folder (--work-dir); nothing partial was kept in the cache");
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
            reporter.Line($"compress: error {ErrorCodes.InternalError}: internal error: {ex.GetType().Name}: {ex.Message} (this is a bug; details in {log})");
            return ExitCodes.InternalError;
        }
    }
}

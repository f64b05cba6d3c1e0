using System.Runtime.InteropServices;

namespace Compression.Host;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM cancel this token instead of killing the process, so a run can
/// discard its scratch folder, say what happened and exit with <see cref="ExitCodes.Cancelled"/>.
/// A second Ctrl+C is not intercepted and ends the process at once.
/// </summary>
public static class Shutdown
{
    private static readonly CancellationTokenSource s_source = new();
    private static PosixSignalRegistration? s_interrupt;
    private static PosixSignalRegistration? s_terminate;

    public static CancellationToken Token => s_source.Token;

    public static void Install()
    {
        s_interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        s_terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    private static void Handle(PosixSignalContext context)
    {
        if (!s_source.IsCancellationRequested)
        {
            context.Cancel = true;
            s_source.Cancel();
        }
    }
}

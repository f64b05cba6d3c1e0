using System.Diagnostics;

namespace Compression.Tests.Shared;

/// <summary>
/// CPU-bound shell loops (<c>while :; do :; done</c>) beside a test, as other jobs run on a shared
/// CI runner; killed when disposed.
/// </summary>
public sealed class BusyLoops : IDisposable
{
    private readonly List<Process> _processes = [];

    private BusyLoops()
    {
    }

    public static BusyLoops Start(int count)
    {
        var loops = new BusyLoops();
        for (int i = 0; i < count; i++)
        {
            loops._processes.Add(Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!);
        }
        return loops;
    }

    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}

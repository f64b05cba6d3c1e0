namespace Compression.Models.Tests.Training;

/// <summary>
/// A thread that forces garbage collections without pause until disposed: the condition under which
/// TorchSharp's finalizer frees a scalar a native call still reads. Shared by the tests that prove
/// training survives it (linked into other test projects).
/// </summary>
public sealed class CollectionPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _collector;

    public CollectionPressure()
    {
        _collector = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        _collector.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _collector.Join();
        _stop.Dispose();
    }
}

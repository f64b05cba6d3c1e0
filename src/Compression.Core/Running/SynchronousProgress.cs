namespace Compression.Core.Running;

/// <summary>
/// Forwards reports on the calling thread, in order. <see cref="Progress{T}"/> posts to the thread
/// pool, which reorders lines and can print them after the work has finished.
/// </summary>
public sealed class SynchronousProgress<T>(IProgress<T> inner) : IProgress<T>
{
    public SynchronousProgress(Action<T> handler)
        : this(new ActionProgress(handler))
    {
    }

    public void Report(T value) => inner.Report(value);

    private sealed class ActionProgress(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}

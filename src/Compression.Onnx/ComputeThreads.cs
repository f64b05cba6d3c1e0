namespace Compression.Onnx;

/// <summary>
/// How many threads the process computes with (ONNX Runtime's intra-op pool wherever a caller does
/// not ask for a count, and TorchSharp's pool, which the host sets from the same number). The default
/// is the CPUs the process may really use: .NET's <see cref="Environment.ProcessorCount"/> honours
/// the CPU affinity mask and the cgroup CPU quota, where ONNX Runtime and libtorch count the
/// machine's cores, which oversubscribes a container or a pinned CI job.
/// </summary>
public static class ComputeThreads
{
    private static int s_count = Environment.ProcessorCount;

    /// <summary>The CPUs this process may use (affinity and cgroup quota).</summary>
    public static int Available => Environment.ProcessorCount;

    /// <summary>The thread count in use: <see cref="Available"/> unless a run configured another.</summary>
    public static int Count => Volatile.Read(ref s_count);

    /// <summary>Uses <paramref name="configured"/> threads, or <see cref="Available"/> when null.</summary>
    public static void Use(int? configured)
    {
        if (configured is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(configured), configured, "Expected at least one thread.");
        }
        Volatile.Write(ref s_count, configured ?? Available);
    }
}

using Compression.Models.Training;
using Compression.Onnx;

namespace Compression.Core.Running;

/// <summary>
/// Applies the config's <c>threads</c> (default: the CPUs the process may use, <see cref="ComputeThreads.Available"/>)
/// to both compute pools, ONNX Runtime's and TorchSharp's, so neither assumes the whole machine.
/// </summary>
public static class ThreadSettings
{
    /// <returns>A line for the log: the count and where it came from.</returns>
    public static string Apply(int? configured)
    {
        ComputeThreads.Use(configured);
        TorchThreads.Use(ComputeThreads.Count);
        return configured is null
            ? $"threads: {ComputeThreads.Count} (the CPUs this process may use; set \"threads\" to change)"
            : $"threads: {ComputeThreads.Count} (\"threads\" in the config; this process may use {ComputeThreads.Available} CPUs)";
    }
}

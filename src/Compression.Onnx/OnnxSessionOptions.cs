using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx;

/// <summary>The session options every inference session of the pipeline uses (the benchmark sets its own, as the target profile says).</summary>
public static class OnnxSessionOptions
{
    /// <summary>CPU options: <paramref name="intraOpThreads"/> threads per operator (0 for <see cref="ComputeThreads.Count"/>), idle pool threads sleeping.</summary>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for <see cref="ComputeThreads.Count"/>.</param>
    /// <param name="sequential">Run operators one after another (what a small model on a few cores wants); false lets independent branches run in parallel.</param>
    public static SessionOptions Create(int intraOpThreads = 0, bool sequential = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        var options = new SessionOptions
        {
            ExecutionMode = sequential ? ExecutionMode.ORT_SEQUENTIAL : ExecutionMode.ORT_PARALLEL,
            IntraOpNumThreads = intraOpThreads > 0 ? intraOpThreads : ComputeThreads.Count,
        };
        if (sequential)
        {
            options.InterOpNumThreads = 1;
        }
        // Idle pool threads sleep instead of spinning: between runs the process trains with TorchSharp's
        // own pool, and two pools spinning against each other on a few cores slow both down.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}

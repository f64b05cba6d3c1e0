using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Host.Memory;

/// <summary>
/// What `compress probe-memory` does inside its own process: load ONNX Runtime, note the resident
/// memory, then create the session and run the model a few times at the batch size (zeros in, since
/// memory does not depend on values), and report the peak above that baseline.
/// </summary>
internal static class ModelMemoryMeasurement
{
    private const int Runs = 3;

    public static long PeakBytes(string modelPath, int batchSize, int intraOpThreads)
    {
        // The native library and its environment are the same for every model: part of the baseline.
        _ = OrtEnv.Instance();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = ResidentMemory.CurrentBytes();
        ResidentMemory.TryResetPeak();

        using var session = new OnnxInferenceSession(modelPath, intraOpThreads);
        var zeros = new float[(long)session.SampleSize * batchSize];
        var output = new float[(long)session.OutputWidth * batchSize];
        for (int i = 0; i < Runs; i++)
        {
            session.Run(zeros, batchSize, output);
        }
        return Math.Max(0, ResidentMemory.PeakBytes() - baseline);
    }
}

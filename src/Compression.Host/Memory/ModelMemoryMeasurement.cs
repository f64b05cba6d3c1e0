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

        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(modelPath, options);
        var input = session.InputMetadata.First();
        long[] shape = input.Value.Dimensions.Select((d, i) => i == 0 ? batchSize : Math.Max(d, 1)).Select(d => (long)d).ToArray();
        var zeros = new float[shape.Aggregate(1L, (a, b) => a * b)];
        using var value = OrtValue.CreateTensorValueFromMemory(zeros, shape);
        using var runOptions = new RunOptions();
        for (int i = 0; i < Runs; i++)
        {
            using var outputs = session.Run(runOptions, [input.Key], [value], session.OutputNames);
        }
        return Math.Max(0, ResidentMemory.PeakBytes() - baseline);
    }
}

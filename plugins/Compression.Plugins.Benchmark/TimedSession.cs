using System.Diagnostics;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Plugins.Benchmark;

/// <summary>
/// An ONNX Runtime session with its input and output bound once, so that a timed run measures the
/// model and not our allocations.
/// </summary>
internal sealed class TimedSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _runsPerBatch;

    public TimedSession(string modelPath, int batchSize, int threads, int warmup, int seed)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(modelPath, options);
        var input = _session.InputMetadata.First();
        var output = _session.OutputMetadata.First();
        _inputNames = [input.Key];
        _outputNames = [output.Key];
        // A model that fixes its batch (many exported ones say 1) serves a batch of batchSize as
        // ceil(batchSize / fixed) runs of its own size, as it would in deployment.
        int runBatch = OnnxInferenceSession.FixedBatchOf(input.Value) ?? batchSize;
        _runsPerBatch = (batchSize + runBatch - 1) / runBatch;
        long[] inputShape = input.Value.Dimensions.Select((d, i) => i == 0 ? runBatch : Math.Max(d, 1)).Select(d => (long)d).ToArray();
        long[] outputShape = output.Value.Dimensions.Select((d, i) => i == 0 ? runBatch : Math.Max(d, 1)).Select(d => (long)d).ToArray();
        var random = new Random(seed);
        float[] data = Enumerable.Range(0, (int)inputShape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)random.NextDouble()).ToArray();
        _input = OrtValue.CreateTensorValueFromMemory(data, inputShape);
        _output = OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, b) => a * b)], outputShape);
        for (int i = 0; i < warmup; i++)
        {
            RunOnce();
        }
    }

    /// <summary>One timed inference, in milliseconds.</summary>
    public double RunOnce()
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < _runsPerBatch; i++)
        {
            _session.Run(_runOptions, _inputNames, [_input], _outputNames, [_output]);
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

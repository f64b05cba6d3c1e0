using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Runner;

/// <summary>
/// A session with its inputs and outputs bound once (ONNX Runtime's I/O binding), so that a timed
/// run measures the model and not allocations. Inputs are seeded noise of each input's type; a
/// model that fixes its batch serves a batch of N as ceil(N / fixed) runs of its own size, as the
/// build's own benchmark does.
/// </summary>
internal sealed class TimedModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];
    private readonly int _runsPerBatch;

    public TimedModel(string path, int batchSize, RunnerOptions options)
    {
        _session = SessionFactory.Create(path, options.Threads, options.Provider, options.Optimization);
        _binding = _session.CreateIoBinding();
        var first = _session.InputMetadata.First().Value;
        int runBatch = first.Dimensions.Length > 0 && first.Dimensions[0] > 0 ? first.Dimensions[0] : batchSize;
        _runsPerBatch = (batchSize + runBatch - 1) / runBatch;
        var random = new Random(options.Seed);
        foreach (var (name, metadata) in _session.InputMetadata)
        {
            OrtValue value = Allocate(metadata, runBatch, name);
            Fill(value, metadata.ElementDataType, random);
            _binding.BindInput(name, value);
        }
        foreach (var (name, metadata) in _session.OutputMetadata)
        {
            if (metadata.IsTensor && metadata.Dimensions.Skip(1).All(d => d > 0))
            {
                _binding.BindOutput(name, Allocate(metadata, runBatch, name));
            }
            else
            {
                // A dynamic dimension other than the batch: let ONNX Runtime size the output per run.
                _binding.BindOutputToDevice(name, OrtMemoryInfo.DefaultInstance);
            }
        }
        for (int i = 0; i < options.Warmup; i++)
        {
            RunOnce();
        }
    }

    /// <summary>One timed inference of the whole batch, in milliseconds.</summary>
    public double RunOnce()
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < _runsPerBatch; i++)
        {
            _session.RunWithBinding(_runOptions, _binding);
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
    }

    private OrtValue Allocate(NodeMetadata metadata, int batch, string name)
    {
        if (!metadata.IsTensor)
        {
            throw new RunnerUsageException($"'{name}' is not a tensor; the runner feeds and reads tensors only");
        }
        // Dynamic dimensions past the batch (a sequence length, say) are taken as 1.
        long[] shape = metadata.Dimensions.Select((d, i) => i == 0 ? batch : Math.Max(d, 1)).Select(d => (long)d).ToArray();
        OrtValue value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, metadata.ElementDataType, shape);
        _values.Add(value);
        return value;
    }

    private static void Fill(OrtValue value, TensorElementType type, Random random)
    {
        switch (type)
        {
            case TensorElementType.Float:
                foreach (ref float x in value.GetTensorMutableDataAsSpan<float>())
                {
                    x = (float)random.NextDouble();
                }
                break;
            case TensorElementType.Double:
                foreach (ref double x in value.GetTensorMutableDataAsSpan<double>())
                {
                    x = random.NextDouble();
                }
                break;
            case TensorElementType.Int64:
                // Token ids and indices: small values every vocabulary and table has.
                foreach (ref long x in value.GetTensorMutableDataAsSpan<long>())
                {
                    x = random.Next(0, 2);
                }
                break;
            case TensorElementType.Int32:
                foreach (ref int x in value.GetTensorMutableDataAsSpan<int>())
                {
                    x = random.Next(0, 2);
                }
                break;
            case TensorElementType.UInt8:
                random.NextBytes(value.GetTensorMutableDataAsSpan<byte>());
                break;
            default:
                throw new RunnerUsageException($"inputs of type {type} are not supported (float, double, int64, int32, uint8 are)");
        }
    }
}

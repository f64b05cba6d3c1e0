using System.Diagnostics;
using Compression.Abstractions.Stages;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Plugins.Benchmark;

/// <summary>
/// An ONNX Runtime session with its input (and, when its shape is static, its output) bound once, so
/// that a timed run measures the model and not our allocations.
/// </summary>
internal sealed class TimedSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue[] _inputs;
    private readonly OrtValue? _output;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _runsPerBatch;

    /// <summary>Loads the model and makes one batch of input: seeded uniform values in [0, 1), or <paramref name="textRows"/>.</summary>
    /// <param name="textRows">
    /// Tokenised texts, <paramref name="batchSize"/> samples of [2, L] (ids row, mask row; see the text format), or null.
    /// A model with one float input gets them as they are; a BERT-family encoder (int64 <c>input_ids</c>,
    /// <c>attention_mask</c>, optional <c>token_type_ids</c>) gets the ids, the mask and zeros: so a text
    /// student and its sentence-encoder teacher are timed on the same tokens at the same sequence length.
    /// </param>
    public TimedSession(string modelPath, int batchSize, int threads, int warmup, int seed, float[]? textRows = null)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(modelPath, options);
        var output = _session.OutputMetadata.First();
        _outputNames = [output.Key];
        if (textRows is not null)
        {
            _runsPerBatch = 1;
            (_inputNames, _inputs) = TextInputs(textRows, batchSize);
        }
        else
        {
            var input = _session.InputMetadata.First();
            _inputNames = [input.Key];
            // A model that fixes its batch (many exported ones say 1) serves a batch of batchSize as
            // ceil(batchSize / fixed) runs of its own size, as it would in deployment.
            int runBatch = OnnxInferenceSession.FixedBatchOf(input.Value) ?? batchSize;
            _runsPerBatch = (batchSize + runBatch - 1) / runBatch;
            long[] inputShape = input.Value.Dimensions.Select((d, i) => i == 0 ? runBatch : Math.Max(d, 1)).Select(d => (long)d).ToArray();
            long[] outputShape = output.Value.Dimensions.Select((d, i) => i == 0 ? runBatch : Math.Max(d, 1)).Select(d => (long)d).ToArray();
            var random = new Random(seed);
            float[] data = Enumerable.Range(0, (int)inputShape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)random.NextDouble()).ToArray();
            _inputs = [OrtValue.CreateTensorValueFromMemory(data, inputShape)];
            _output = OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, b) => a * b)], outputShape);
        }
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
            if (_output is not null)
            {
                _session.Run(_runOptions, _inputNames, _inputs, _outputNames, [_output]);
            }
            else
            {
                // Outputs of a dynamic shape (a token sequence's): ONNX Runtime allocates them, as it would in an app.
                using var outputs = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
            }
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public void Dispose()
    {
        foreach (OrtValue input in _inputs)
        {
            input.Dispose();
        }
        _output?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private (string[] Names, OrtValue[] Values) TextInputs(float[] rows, int batchSize)
    {
        int length = rows.Length / batchSize / 2;
        var inputs = _session.InputMetadata.Where(i => !_session.OverridableInitializerMetadata.ContainsKey(i.Key)).ToList();
        if (inputs.Count == 1 && inputs[0].Value.ElementDataType == TensorElementType.Float)
        {
            return ([inputs[0].Key], [OrtValue.CreateTensorValueFromMemory(rows, [batchSize, 2, length])]);
        }
        var ids = new long[batchSize * length];
        var mask = new long[batchSize * length];
        for (int sample = 0; sample < batchSize; sample++)
        {
            for (int t = 0; t < length; t++)
            {
                ids[(sample * length) + t] = (long)rows[(sample * 2 * length) + t];
                mask[(sample * length) + t] = (long)rows[(sample * 2 * length) + length + t];
            }
        }
        var names = new List<string>();
        var values = new List<OrtValue>();
        foreach (var (name, _) in inputs)
        {
            long[] data = name switch
            {
                "input_ids" => ids,
                "attention_mask" => mask,
                "token_type_ids" => new long[ids.Length],
                _ => throw new StageException($"input '{name}' is neither a text sample [batch, 2, L] nor one of a BERT-family encoder's input_ids, attention_mask and token_type_ids, so it cannot be timed on texts"),
            };
            names.Add(name);
            values.Add(OrtValue.CreateTensorValueFromMemory(data, [batchSize, length]));
        }
        return ([.. names], [.. values]);
    }
}

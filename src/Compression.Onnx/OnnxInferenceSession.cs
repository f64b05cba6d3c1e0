using Microsoft.ML.OnnxRuntime;

namespace Compression.Onnx;

/// <summary>
/// One ONNX Runtime session over a single-input, single-output float model, reused across batches.
/// Thread counts come from the caller (a benchmark target profile); 0 leaves ONNX Runtime's default.
/// </summary>
public sealed class OnnxInferenceSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OnnxInferenceSession(string modelPath, int intraOpThreads = 0)
    {
        var options = new SessionOptions { ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
            options.InterOpNumThreads = 1;
        }
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OnnxFormatException(modelPath, $"ONNX Runtime cannot load it: {ex.Message}", ex);
        }
        finally
        {
            options.Dispose();
        }
        if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count < 1)
        {
            _session.Dispose();
            throw new OnnxFormatException(modelPath, $"expected one input and at least one output, found {_session.InputMetadata.Count} inputs");
        }
        var input = _session.InputMetadata.First();
        InputName = input.Key;
        InputShape = input.Value.Dimensions.Select(d => (long)d).ToArray();
        OutputName = _session.OutputMetadata.First().Key;
        SampleSize = InputShape.Skip(1).Aggregate(1L, (a, d) => a * Math.Max(d, 1));
    }

    public string InputName { get; }

    public string OutputName { get; }

    /// <summary>Input dimensions, -1 where dynamic (normally the batch).</summary>
    public long[] InputShape { get; }

    /// <summary>Elements of one sample (input dimensions after the batch).</summary>
    public long SampleSize { get; }

    /// <summary>Runs a batch of row-major samples; returns the first output, flattened.</summary>
    public float[] Run(ReadOnlySpan<float> input, int batchSize)
    {
        if (input.Length != batchSize * SampleSize)
        {
            throw new ArgumentException($"a batch of {batchSize} needs {batchSize * SampleSize} values, got {input.Length}", nameof(input));
        }
        long[] shape = [batchSize, .. InputShape.Skip(1).Select(d => Math.Max(d, 1))];
        float[] buffer = input.ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
        using var outputs = _session.Run(_runOptions, [InputName], [value], [OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

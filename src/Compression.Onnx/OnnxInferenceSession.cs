using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Onnx;

/// <summary>
/// One ONNX Runtime session over a model with one float input and a float first output, created
/// once and reused for every batch. <see cref="Run(ReadOnlySpan{float}, int)"/> passes the caller's
/// memory to the runtime without copying and, when the output width is static, lets the runtime
/// write straight into the result. Safe to call from several threads at once (no mutable state).
/// </summary>
public sealed class OnnxInferenceSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly string _modelPath;

    /// <summary>Loads <paramref name="modelPath"/> into ONNX Runtime (CPU execution provider).</summary>
    /// <param name="modelPath">An ONNX model file.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for <see cref="ComputeThreads.Count"/> (the CPUs the process may use, or the configured count).
    /// Benchmarks pass the target profile's count so figures are comparable.</param>
    /// <param name="sequential">Run operators one after another (the default, and what a small model on
    /// a few cores wants); false lets independent branches run in parallel.</param>
    /// <exception cref="OnnxFormatException">The file is missing, is not a model ONNX Runtime can load, or
    /// does not have exactly one float tensor input and a float tensor first output.</exception>
    public OnnxInferenceSession(string modelPath, int intraOpThreads = 0, bool sequential = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        _modelPath = modelPath;
        if (!File.Exists(modelPath))
        {
            throw new OnnxFormatException(modelPath, "file not found");
        }
        _session = Load(modelPath, intraOpThreads, sequential);
        try
        {
            // An initializer still listed as a graph input (older exporters' keep_initializers_as_inputs) is an
            // input with a default, which ONNX Runtime reports among the inputs; it is a weight, not the sample.
            var sampleInputs = _session.InputMetadata.Where(i => !_session.OverridableInitializerMetadata.ContainsKey(i.Key)).ToDictionary();
            (InputName, InputShape) = Describe(modelPath, "input", sampleInputs, requireSingle: true);
            (OutputName, long[] outputShape) = Describe(modelPath, "output", _session.OutputMetadata, requireSingle: false);
            OutputShape = outputShape;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _runOptions = new RunOptions();
        _inputNames = [InputName];
        _outputNames = [OutputName];
        SampleSize = PerSample(InputShape);
        OutputWidth = PerSample(OutputShape);
    }

    /// <summary>Name of the model's only input.</summary>
    public string InputName { get; }

    /// <summary>Name of the model's first output, the one <see cref="Run(ReadOnlySpan{float}, int)"/> returns.</summary>
    public string OutputName { get; }

    /// <summary>Input dimensions as the model declares them, -1 where dynamic (normally the batch).</summary>
    public long[] InputShape { get; }

    /// <summary>First output's dimensions as the model declares them, -1 where dynamic.</summary>
    public long[] OutputShape { get; }

    /// <summary>Elements of one input sample (the dimensions after the batch), or -1 if one of them is dynamic.</summary>
    public int SampleSize { get; }

    /// <summary>Elements of one sample's output (the dimensions after the batch), or -1 if one of them is dynamic.</summary>
    public int OutputWidth { get; }

    /// <summary>Runs a batch of row-major samples; returns the first output, flattened.</summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not hold <paramref name="batchSize"/> samples.</exception>
    /// <remarks>One dynamic dimension besides the batch (a token sequence's length) is read from the input's length.</remarks>
    /// <exception cref="InvalidOperationException">More than one sample dimension is dynamic, or the batch dimension is fixed to another size.</exception>
    public float[] Run(ReadOnlySpan<float> input, int batchSize)
    {
        if (FixedBatch is int fixedBatch && fixedBatch != batchSize)
        {
            return RunInFixedBatches(input, batchSize, fixedBatch);
        }
        long[] inputShape = BatchShape(input.Length, batchSize);
        if (OutputWidth >= 0)
        {
            var output = new float[(long)batchSize * OutputWidth];
            RunInto(input, inputShape, output);
            return output;
        }
        return RunAllocating(input, inputShape);
    }

    /// <summary>
    /// The batch size the model's input fixes (many exported models declare a batch of 1), or null
    /// when it is dynamic. <see cref="Run(ReadOnlySpan{float}, int)"/> runs any batch through such a
    /// model in pieces of this size, so callers need not know.
    /// </summary>
    public int? FixedBatch => FixedBatchOf(_session.InputMetadata[InputName]);

    /// <summary>The batch size an input fixes, or null when its first dimension is dynamic (the one rule every runner of a fixed-batch model uses).</summary>
    public static int? FixedBatchOf(NodeMetadata input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Dimensions.Length > 0 && input.Dimensions[0] > 0 ? input.Dimensions[0] : null;
    }

    /// <summary>
    /// Runs a batch through a model with a fixed batch size, piece by piece; the last piece is padded
    /// with zeros to the fixed size and the padding's outputs dropped.
    /// </summary>
    private float[] RunInFixedBatches(ReadOnlySpan<float> input, int batchSize, int fixedBatch)
    {
        BatchShape(input.Length, batchSize, checkFixedBatch: false);
        int sampleSize = input.Length / batchSize;
        var outputs = new List<float[]>();
        var padded = new float[(long)fixedBatch * sampleSize];
        for (int start = 0; start < batchSize; start += fixedBatch)
        {
            int count = Math.Min(fixedBatch, batchSize - start);
            ReadOnlySpan<float> piece = input.Slice(start * sampleSize, count * sampleSize);
            if (count < fixedBatch)
            {
                Array.Clear(padded);
                piece.CopyTo(padded);
                piece = padded;
            }
            float[] output = Run(piece, fixedBatch);
            outputs.Add(count < fixedBatch ? output[..(output.Length / fixedBatch * count)] : output);
        }
        return [.. outputs.SelectMany(o => o)];
    }

    /// <summary>
    /// Runs a batch into caller-owned memory, allocating nothing per call beyond the runtime's own:
    /// for loops over many batches. Needs a static <see cref="OutputWidth"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not <paramref name="batchSize"/> × <see cref="OutputWidth"/> long.</exception>
    public void Run(ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        if (OutputWidth < 0)
        {
            throw new InvalidOperationException(
                $"{_modelPath}: output '{OutputName}' has a dynamic shape [{string.Join(", ", OutputShape)}]; use Run(input, batchSize), which returns a new array");
        }
        if (FixedBatch is int fixedBatch && fixedBatch != batchSize)
        {
            float[] pieces = RunInFixedBatches(input, batchSize, fixedBatch);
            if (output.Length != pieces.Length)
            {
                throw new ArgumentException($"a batch of {batchSize} gives {pieces.Length} outputs, but the buffer holds {output.Length}", nameof(output));
            }
            pieces.CopyTo(output);
            return;
        }
        long[] inputShape = BatchShape(input.Length, batchSize);
        if (output.Length != (long)batchSize * OutputWidth)
        {
            throw new ArgumentException($"a batch of {batchSize} gives {(long)batchSize * OutputWidth} outputs, but the buffer holds {output.Length}", nameof(output));
        }
        RunInto(input, inputShape, output);
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    // Spans stay pinned (fixed) for as long as the OrtValues that borrow them are alive.
    private unsafe void RunInto(ReadOnlySpan<float> input, long[] inputShape, Span<float> output)
    {
        long[] outputShape = [inputShape[0], .. OutputShape.Skip(1)];
        fixed (float* inputPointer = input)
        fixed (float* outputPointer = output)
        {
            using OrtValue inputValue = Borrow(inputPointer, input.Length, inputShape);
            using OrtValue outputValue = Borrow(outputPointer, output.Length, outputShape);
            _session.Run(_runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
        }
    }

    private unsafe float[] RunAllocating(ReadOnlySpan<float> input, long[] inputShape)
    {
        fixed (float* inputPointer = input)
        {
            using OrtValue inputValue = Borrow(inputPointer, input.Length, inputShape);
            using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, _inputNames, [inputValue], _outputNames);
            return outputs.First().GetTensorDataAsSpan<float>().ToArray();
        }
    }

    private static unsafe OrtValue Borrow(float* pointer, int length, long[] shape) =>
        OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, (IntPtr)pointer, (long)length * sizeof(float));

    private long[] BatchShape(int inputLength, int batchSize, bool checkFixedBatch = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (SampleSize < 0)
        {
            return SequenceShape(inputLength, batchSize, checkFixedBatch);
        }
        if (checkFixedBatch && InputShape[0] >= 0 && InputShape[0] != batchSize)
        {
            throw new InvalidOperationException($"{_modelPath}: input '{InputName}' has a fixed batch of {InputShape[0]}; cannot run a batch of {batchSize}");
        }
        if (inputLength != (long)batchSize * SampleSize)
        {
            throw new ArgumentException($"a batch of {batchSize} samples of {SampleSize} values needs {(long)batchSize * SampleSize} values, got {inputLength}", "input");
        }
        return [batchSize, .. InputShape.Skip(1)];
    }

    /// <summary>
    /// The batch's shape when one dimension after the batch is dynamic (a token sequence's length): the
    /// input's length divided by the batch and the other dimensions gives it.
    /// </summary>
    private long[] SequenceShape(int inputLength, int batchSize, bool checkFixedBatch)
    {
        long[] sample = InputShape[1..];
        long known = sample.Where(d => d >= 0).Aggregate(1L, (p, d) => p * d);
        if (sample.Count(d => d < 0) != 1 || known == 0)
        {
            throw new InvalidOperationException(
                $"{_modelPath}: input '{InputName}' has shape [{string.Join(", ", InputShape)}]; besides the batch (first) dimension at most one may be dynamic");
        }
        if (checkFixedBatch && InputShape[0] >= 0 && InputShape[0] != batchSize)
        {
            throw new InvalidOperationException($"{_modelPath}: input '{InputName}' has a fixed batch of {InputShape[0]}; cannot run a batch of {batchSize}");
        }
        if (inputLength % ((long)batchSize * known) != 0 || inputLength == 0)
        {
            throw new ArgumentException($"a batch of {batchSize} samples of shape [{string.Join(", ", sample)}] cannot hold {inputLength} values", "input");
        }
        long dynamic = inputLength / ((long)batchSize * known);
        return [batchSize, .. sample.Select(d => d < 0 ? dynamic : d)];
    }

    private static InferenceSession Load(string modelPath, int intraOpThreads, bool sequential)
    {
        using SessionOptions options = OnnxSessionOptions.Create(intraOpThreads, sequential);
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OnnxFormatException(modelPath, $"ONNX Runtime cannot load it: {ex.Message}", ex);
        }
    }

    private static (string Name, long[] Shape) Describe(string modelPath, string kind, IReadOnlyDictionary<string, NodeMetadata> metadata, bool requireSingle)
    {
        if (metadata.Count == 0 || (requireSingle && metadata.Count != 1))
        {
            throw new OnnxFormatException(modelPath,
                $"expected {(requireSingle ? "exactly one" : "at least one")} {kind}, found {metadata.Count}: [{string.Join(", ", metadata.Keys)}]");
        }
        (string name, NodeMetadata value) = metadata.First();
        if (!value.IsTensor)
        {
            throw new OnnxFormatException(modelPath, $"{kind} '{name}' must be a float tensor, found {value.OnnxValueType}");
        }
        if (value.ElementDataType != TensorElementType.Float)
        {
            throw new OnnxFormatException(modelPath, $"{kind} '{name}' must be a float tensor, found a {value.ElementDataType} tensor");
        }
        long[] shape = value.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();
        if (shape.Length == 0)
        {
            throw new OnnxFormatException(modelPath, $"{kind} '{name}' is a scalar; expected a batch dimension first");
        }
        return (name, shape);
    }

    private static int PerSample(long[] shape)
    {
        long size = 1;
        foreach (long dim in shape.Skip(1))
        {
            if (dim < 0)
            {
                return -1;
            }
            size *= dim;
        }
        return checked((int)size);
    }
}

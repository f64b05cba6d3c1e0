using Compression.Onnx;
using Compression.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// A BERT-family sentence encoder's intermediate tensors (layer outputs, attention probabilities) for batches of
/// text samples: a copy of the model in memory (the file is never changed) whose graph outputs are those tensors,
/// run in ONNX Runtime on <c>input_ids</c>, <c>attention_mask</c> and, if the graph takes it, zero
/// <c>token_type_ids</c>, at the samples' full length (no trailing column is dropped, so the maps line up with a
/// student's). TinyBERT-style distillation reads the teacher this way, batch by batch, as the student trains.
/// </summary>
public sealed class OnnxEncoderTaps : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly BertEncoderInputs _inputs;
    private readonly string[] _outputNames;

    /// <summary>Opens <paramref name="onnxPath"/> with <paramref name="tensors"/> as its outputs.</summary>
    /// <param name="onnxPath">The encoder's ONNX file (weights inside it, not in external data).</param>
    /// <param name="tensors">Names of float tensors its nodes compute.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for <see cref="ComputeThreads.Count"/>.</param>
    /// <exception cref="InvalidDataException">A name is not a tensor of the graph, or the graph's inputs are not a BERT-family
    /// encoder's (int64 [batch, sequence] <c>input_ids</c>, <c>attention_mask</c> and optionally <c>token_type_ids</c>).</exception>
    public OnnxEncoderTaps(string onnxPath, IReadOnlyList<string> tensors, int intraOpThreads)
    {
        ArgumentNullException.ThrowIfNull(onnxPath);
        ArgumentNullException.ThrowIfNull(tensors);
        ModelProto model = OnnxModelFile.Read(onnxPath);
        GraphProto graph = model.Graph;
        var computed = graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        string? missing = tensors.FirstOrDefault(t => !computed.Contains(t));
        if (missing is not null)
        {
            throw new InvalidDataException($"{onnxPath}: no node computes a tensor named '{missing}'");
        }
        graph.Output.Clear();
        foreach (string tensor in tensors.Distinct(StringComparer.Ordinal))
        {
            graph.Output.Add(new ValueInfoProto
            {
                Name = tensor,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }
        _outputNames = [.. tensors];
        using SessionOptions options = OnnxSessionOptions.Create(intraOpThreads);
        _session = new InferenceSession(model.ToByteArray(), options);
        try
        {
            _inputs = BertEncoderInputs.Of(onnxPath, _session);
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tapped tensors for a batch of text samples [batch, 2, length] (row 0 the token ids as floats, row 1 the
    /// mask), in the order the names were given; the caller disposes them.
    /// </summary>
    public IReadOnlyList<Tensor> Run(Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.dim() != 3 || samples.shape[1] != 2)
        {
            throw new ArgumentException($"expected text samples [batch, 2, length], got [{string.Join(", ", samples.shape)}]", nameof(samples));
        }
        long batch = samples.shape[0], length = samples.shape[2];
        using Tensor longs = samples.detach().to_type(ScalarType.Int64).contiguous();
        long[] values = longs.data<long>().ToArray();
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (long row = 0; row < batch; row++)
        {
            Array.Copy(values, row * 2 * length, ids, row * length, length);
            Array.Copy(values, (row * 2 * length) + length, mask, row * length, length);
        }
        using IDisposableReadOnlyCollection<OrtValue> outputs = _inputs.Run(_session, _runOptions, ids, mask, [batch, length], _outputNames);
        return [.. outputs.Select(o => tensor(o.GetTensorDataAsSpan<float>().ToArray(), o.GetTensorTypeAndShape().Shape))];
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

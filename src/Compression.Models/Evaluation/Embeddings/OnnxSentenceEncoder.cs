using System.Globalization;
using Compression.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// A BERT-family ONNX encoder (all-MiniLM-L6-v2, DistilBERT, a student exported the same way) as a
/// sentence encoder: token-id rows and their attention masks in, the mean of the last hidden state over
/// each row's attended tokens, scaled to unit length, out. The sentence-transformers recipe, so its
/// embeddings are the model's own. One ONNX Runtime session, reused for every batch; safe to call from
/// several threads at once.
/// </summary>
/// <remarks>
/// The graph's inputs are <c>input_ids</c> and <c>attention_mask</c>, and <c>token_type_ids</c> when the
/// graph has it (BERT and MiniLM do, DistilBERT does not), all int64 [batch, sequence] with a dynamic
/// sequence. Token types are fed as zeros: one sentence is one segment. The hidden states are the output
/// named <c>last_hidden_state</c>, else the first float output of rank 3 ([batch, sequence, hidden]).
/// </remarks>
public sealed class OnnxSentenceEncoder : IDisposable
{
    /// <summary>The token-id input every BERT-family graph has.</summary>
    public const string InputIdsName = "input_ids";

    /// <summary>The mask input (1 for a token, 0 for padding).</summary>
    public const string AttentionMaskName = "attention_mask";

    /// <summary>The segment input, fed as zeros when the graph has it.</summary>
    public const string TokenTypeIdsName = "token_type_ids";

    /// <summary>The hidden-state output sentence-transformers pools (the exporters' name for it).</summary>
    public const string LastHiddenStateName = "last_hidden_state";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly BertEncoderInputs _inputs;
    private readonly string[] _outputNames;

    /// <summary>Opens <paramref name="modelPath"/> in ONNX Runtime (CPU).</summary>
    /// <param name="modelPath">The encoder's ONNX file.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for <see cref="ComputeThreads.Count"/>. Latency comparisons pass 1.</param>
    /// <exception cref="OnnxFormatException">The file is missing or ONNX Runtime cannot load it.</exception>
    /// <exception cref="InvalidDataException">The graph lacks the int64 [batch, sequence] inputs <c>input_ids</c> and
    /// <c>attention_mask</c>, has inputs an encoder does not take, or gives no [batch, sequence, hidden] float output;
    /// the message names what the graph has.</exception>
    public OnnxSentenceEncoder(string modelPath, int intraOpThreads)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ModelPath = modelPath;
        if (!File.Exists(modelPath))
        {
            throw new OnnxFormatException(modelPath, "file not found");
        }
        using SessionOptions options = OnnxSessionOptions.Create(intraOpThreads);
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OnnxFormatException(modelPath, $"ONNX Runtime cannot load it: {ex.Message}", ex);
        }
        try
        {
            _inputs = BertEncoderInputs.Of(modelPath, _session);
            string output = HiddenStateOutput(modelPath, _session);
            _outputNames = [output];
            int declared = _session.OutputMetadata[output].Dimensions[2];
            // A symbolic hidden size (the MiniLM export declares one) is learnt from one token through the graph.
            HiddenSize = declared > 0 ? declared : Encode([0], [1], 1).Length;
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    /// <summary>The encoder's file, as given.</summary>
    public string ModelPath { get; }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (fed as zeros).</summary>
    public bool HasTokenTypeIds => _inputs.HasTokenTypeIds;

    /// <summary>The embedding's length (the hidden size): each row of <see cref="Encode"/>'s result holds this many values.</summary>
    public int HiddenSize { get; }

    /// <summary>
    /// Embeds one batch: row-major [<paramref name="batchSize"/>, sequence] token ids and attention masks
    /// (the sequence is the spans' length over the batch size) to row-major [batch, <see cref="HiddenSize"/>]
    /// unit-length embeddings. Trailing columns no row attends to are dropped before the run: the masked
    /// attention gives them no weight, so the result is the same for less work.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or do not split into <paramref name="batchSize"/>
    /// rows, a mask value is not 0 or 1, or a row attends to no token.</exception>
    public float[] Encode(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> attentionMask, int batchSize)
    {
        int sequence = CheckBatch(inputIds, attentionMask, batchSize);
        int used = AttendedLength(attentionMask, batchSize, sequence);
        var ids = new long[batchSize * used];
        var mask = new long[batchSize * used];
        for (int row = 0; row < batchSize; row++)
        {
            inputIds.Slice(row * sequence, used).CopyTo(ids.AsSpan(row * used));
            attentionMask.Slice(row * sequence, used).CopyTo(mask.AsSpan(row * used));
        }
        using IDisposableReadOnlyCollection<OrtValue> outputs = _inputs.Run(_session, _runOptions, ids, mask, [batchSize, used], _outputNames);
        OrtValue hidden = outputs[0];
        long[] hiddenShape = hidden.GetTensorTypeAndShape().Shape;
        if (hiddenShape.Length != 3 || hiddenShape[0] != batchSize || hiddenShape[1] != used)
        {
            throw new InvalidDataException(
                $"{ModelPath}: output '{_outputNames[0]}' has shape [{string.Join(", ", hiddenShape)}] for input [{batchSize}, {used}]; expected [{batchSize}, {used}, hidden]");
        }
        return MeanPooling.PoolAndNormalize(hidden.GetTensorDataAsSpan<float>(), mask, batchSize, used, checked((int)hiddenShape[2]));
    }

    /// <summary>
    /// Embeds <paramref name="rows"/> rows in batches of <paramref name="batchSize"/> rows of similar attended
    /// length (each batch as <see cref="Encode"/>, so short texts run short), reporting the rows done after each batch and checking for cancellation before each.
    /// </summary>
    /// <param name="inputIds">Row-major [rows, sequence] token ids.</param>
    /// <param name="attentionMask">The same shape: 1 for a token, 0 for padding.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="batchSize">Rows per run.</param>
    /// <param name="progress">Receives the number of rows done; null for none.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Row-major [rows, <see cref="HiddenSize"/>] unit-length embeddings.</returns>
    public float[] EncodeInBatches(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> attentionMask, int rows, int batchSize, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int sequence = CheckBatch(inputIds, attentionMask, rows);
        // Rows in order of their attended length, so a batch of short texts is not padded to a long one's
        // length (Encode drops the columns no row of the batch attends to); each row's embedding is its own.
        // Longest first: a progress ETA from the rows done so far then errs long, not short.
        AttendedLength(attentionMask, rows, sequence);
        var lengths = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            lengths[row] = AttendedLength(attentionMask.Slice(row * sequence, sequence), 1, sequence);
        }
        int[] order = [.. Enumerable.Range(0, rows).OrderByDescending(row => lengths[row])];
        var embeddings = new float[(long)rows * HiddenSize];
        var ids = new long[(long)batchSize * sequence];
        var mask = new long[ids.Length];
        for (int start = 0; start < rows; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, rows - start);
            for (int i = 0; i < count; i++)
            {
                int row = order[start + i];
                inputIds.Slice(row * sequence, sequence).CopyTo(ids.AsSpan(i * sequence));
                attentionMask.Slice(row * sequence, sequence).CopyTo(mask.AsSpan(i * sequence));
            }
            float[] batch = Encode(ids.AsSpan(0, count * sequence), mask.AsSpan(0, count * sequence), count);
            for (int i = 0; i < count; i++)
            {
                batch.AsSpan(i * HiddenSize, HiddenSize).CopyTo(embeddings.AsSpan(order[start + i] * HiddenSize));
            }
            progress?.Report(start + count);
        }
        return embeddings;
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static int CheckBatch(ReadOnlySpan<long> inputIds, ReadOnlySpan<long> attentionMask, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (inputIds.Length != attentionMask.Length)
        {
            throw new ArgumentException($"Expected one mask value per token id, got {inputIds.Length} ids and {attentionMask.Length} mask values.", nameof(attentionMask));
        }
        if (inputIds.Length == 0 || inputIds.Length % rows != 0)
        {
            throw new ArgumentException($"{inputIds.Length} token ids do not split into {rows} rows of equal, non-zero length.", nameof(inputIds));
        }
        return inputIds.Length / rows;
    }

    /// <summary>One past the last column any row attends to; checks every mask value and that no row is empty.</summary>
    private static int AttendedLength(ReadOnlySpan<long> attentionMask, int rows, int sequence)
    {
        int used = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<long> mask = attentionMask.Slice(row * sequence, sequence);
            int last = -1;
            for (int t = 0; t < sequence; t++)
            {
                if (mask[t] == 1)
                {
                    last = t;
                }
                else if (mask[t] != 0)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Attention mask of row {row}, position {t} is {mask[t]}; expected 0 (padding) or 1 (token)."), nameof(attentionMask));
                }
            }
            if (last < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {row} attends to no token (its mask is all 0); a tokenised sentence has at least [CLS] and [SEP]."), nameof(attentionMask));
            }
            used = Math.Max(used, last + 1);
        }
        return used;
    }

    private static string HiddenStateOutput(string modelPath, InferenceSession session)
    {
        IReadOnlyDictionary<string, NodeMetadata> outputs = session.OutputMetadata;
        if (outputs.TryGetValue(LastHiddenStateName, out NodeMetadata? named) && IsHiddenState(named))
        {
            return LastHiddenStateName;
        }
        foreach ((string name, NodeMetadata value) in outputs)
        {
            if (IsHiddenState(value))
            {
                return name;
            }
        }
        throw new InvalidDataException(
            $"{modelPath}: no hidden-state output: expected a float tensor [batch, sequence, hidden] (named {LastHiddenStateName} by exporters); the graph has [{string.Join(", ", outputs.Select(o => $"{o.Key} {BertEncoderInputs.Describe(o.Value)}"))}]");
    }

    private static bool IsHiddenState(NodeMetadata value) =>
        value.IsTensor && value.ElementDataType == TensorElementType.Float && value.Dimensions.Length == 3;
}

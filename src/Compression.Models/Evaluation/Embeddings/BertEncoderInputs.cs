using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// What a BERT-family ONNX encoder is fed: <c>input_ids</c> and <c>attention_mask</c>, and zero
/// <c>token_type_ids</c> when the graph takes them (one sentence is one segment), all int64 [batch, length].
/// Checked once against a session, then used for each batch; <see cref="OnnxSentenceEncoder"/> and
/// <see cref="OnnxEncoderTaps"/> share it so both feed and refuse graphs the same way.
/// </summary>
internal sealed class BertEncoderInputs
{
    private static readonly string[] s_withTokenTypes = [OnnxSentenceEncoder.InputIdsName, OnnxSentenceEncoder.AttentionMaskName, OnnxSentenceEncoder.TokenTypeIdsName];
    private static readonly string[] s_withoutTokenTypes = [OnnxSentenceEncoder.InputIdsName, OnnxSentenceEncoder.AttentionMaskName];

    private readonly string[] _names;

    private BertEncoderInputs(bool hasTokenTypeIds)
    {
        HasTokenTypeIds = hasTokenTypeIds;
        _names = hasTokenTypeIds ? s_withTokenTypes : s_withoutTokenTypes;
    }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (fed as zeros).</summary>
    public bool HasTokenTypeIds { get; }

    /// <summary>Checks the inputs of <paramref name="session"/>, the graph of <paramref name="modelPath"/>.</summary>
    /// <exception cref="InvalidDataException">The graph lacks <c>input_ids</c> or <c>attention_mask</c>, has an input
    /// an encoder does not take, or one of them is not an int64 [batch, sequence] tensor; the message names what the graph has.</exception>
    public static BertEncoderInputs Of(string modelPath, InferenceSession session)
    {
        // An initializer still listed as a graph input is a weight with a default, not something to feed.
        var inputs = session.InputMetadata.Where(i => !session.OverridableInitializerMetadata.ContainsKey(i.Key)).ToDictionary();
        string has = string.Join(", ", inputs.Select(i => $"{i.Key} {Describe(i.Value)}"));
        string[] unknown = [.. inputs.Keys.Where(k => !s_withTokenTypes.Contains(k))];
        if (!inputs.ContainsKey(OnnxSentenceEncoder.InputIdsName) || !inputs.ContainsKey(OnnxSentenceEncoder.AttentionMaskName) || unknown.Length > 0)
        {
            throw new InvalidDataException(
                $"{modelPath}: not a BERT-family encoder: expected the inputs {OnnxSentenceEncoder.InputIdsName} and {OnnxSentenceEncoder.AttentionMaskName} (and optionally {OnnxSentenceEncoder.TokenTypeIdsName}), int64 [batch, sequence]; the graph has [{has}]");
        }
        foreach ((string name, NodeMetadata value) in inputs)
        {
            if (!value.IsTensor || value.ElementDataType != TensorElementType.Int64 || value.Dimensions.Length != 2)
            {
                throw new InvalidDataException($"{modelPath}: input {name} is {Describe(value)}; expected an int64 tensor [batch, sequence]");
            }
        }
        return new BertEncoderInputs(inputs.ContainsKey(OnnxSentenceEncoder.TokenTypeIdsName));
    }

    /// <summary>
    /// Runs <paramref name="session"/> on one batch: row-major token ids and mask of <paramref name="shape"/>
    /// [batch, length] (zero token types added when the graph takes them). The caller disposes the outputs.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, RunOptions runOptions, long[] ids, long[] mask, long[] shape, IReadOnlyCollection<string> outputNames)
    {
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using OrtValue? typesValue = HasTokenTypeIds ? OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape) : null;
        OrtValue[] values = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];
        return session.Run(runOptions, _names, values, outputNames);
    }

    /// <summary>An input or output as an error message shows it: element type and dimensions (symbolic ones by name), e.g. <c>int64 [batch, sequence]</c>.</summary>
    public static string Describe(NodeMetadata value) =>
        value.IsTensor
            ? $"{value.ElementDataType.ToString().ToLowerInvariant()} [{string.Join(", ", value.Dimensions.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : value.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?"))}]"
            : value.OnnxValueType.ToString();
}

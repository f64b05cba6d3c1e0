using Compression.Abstractions.Data;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Core.Teacher;

/// <summary>
/// A sentence encoder's embeddings of the text format's samples: each sample is [2, L] floats, row 0 the
/// token ids and row 1 the attention mask, which the encoder takes as int64 <c>input_ids</c> and
/// <c>attention_mask</c>.
/// </summary>
public static class SentenceEncoderEmbeddings
{
    /// <summary>Rows per ONNX Runtime run.</summary>
    private const int BatchSize = 32;

    /// <summary>Row-major [count, hidden] unit-length embeddings of every sample of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The samples are not [2, L], or a row's mask is not 0/1 or attends to nothing.</exception>
    public static float[] Compute(string modelPath, LabelledData data, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        (long[] ids, long[] mask, int _) = Split(data);
        using var encoder = new OnnxSentenceEncoder(modelPath, 0);
        return encoder.EncodeInBatches(ids, mask, data.Count, BatchSize, progress, cancellationToken);
    }

    /// <summary>The hidden size of the encoder at <paramref name="modelPath"/>.</summary>
    public static int HiddenSize(string modelPath)
    {
        using var encoder = new OnnxSentenceEncoder(modelPath, 0);
        return encoder.HiddenSize;
    }

    /// <summary>The samples' token ids and masks as int64, row-major [count, L], and L.</summary>
    public static (long[] Ids, long[] Mask, int Length) Split(LabelledData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.SampleShape is not [2, int length])
        {
            throw new ArgumentException($"expected samples of shape [2, length] (token ids and attention mask, the text format's), found [{string.Join(", ", data.SampleShape)}]", nameof(data));
        }
        var ids = new long[(long)data.Count * length];
        var mask = new long[ids.Length];
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<float> sample = data.Rows(row, 1);
            for (int j = 0; j < length; j++)
            {
                ids[(row * length) + j] = (long)sample[j];
                mask[(row * length) + j] = (long)sample[length + j];
            }
        }
        return (ids, mask, length);
    }
}

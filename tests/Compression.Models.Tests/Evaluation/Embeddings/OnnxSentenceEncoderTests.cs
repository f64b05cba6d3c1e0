using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public class OnnxSentenceEncoderTests
{
    // Row 0: tokens 1, 2 (then padding 4): mean [0.5, 1, 0], norm sqrt(1.25).
    // Row 1: token 3 alone (then padding 4, 4): [3, 0, 4], norm 5.
    private static readonly long[] Ids = [1, 2, 4, 3, 4, 4];
    private static readonly long[] Mask = [1, 1, 0, 1, 0, 0];

    [Fact]
    public void Embedding_is_the_mean_of_the_attended_tokens_scaled_to_unit_length()
    {
        string path = TinyEncoders.Write(tokenTypes: false);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);

        float[] embeddings = encoder.Encode(Ids, Mask, 2);

        Assert.False(encoder.HasTokenTypeIds);
        Assert.Equal(3, encoder.HiddenSize);
        double root = Math.Sqrt(1.25);
        float[] expected = [(float)(0.5 / root), (float)(1 / root), 0, 0.6f, 0, 0.8f];
        Assert.Equal(expected.Length, embeddings.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embeddings[i], 1e-6f);
        }
    }

    [Fact]
    public void Token_type_ids_are_fed_as_zeros_when_the_graph_takes_them()
    {
        string path = TinyEncoders.Write(tokenTypes: true);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);

        float[] embeddings = encoder.Encode(Ids, Mask, 2);

        // Every token gains type row 0, [0, 0, 1]: row 1 becomes [3, 0, 5] / sqrt(34).
        Assert.True(encoder.HasTokenTypeIds);
        double norm = Math.Sqrt(34);
        Assert.Equal((float)(3 / norm), embeddings[3], 1e-6f);
        Assert.Equal(0f, embeddings[4], 1e-6f);
        Assert.Equal((float)(5 / norm), embeddings[5], 1e-6f);
    }

    [Fact]
    public void Hidden_states_are_found_by_rank_when_the_output_has_another_name()
    {
        string path = TinyEncoders.Write(tokenTypes: false, hiddenName: "hidden");
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);

        Assert.Equal(0.6f, encoder.Encode(Ids, Mask, 2)[3], 1e-6f);
    }

    [Fact]
    public void Batches_give_the_rows_one_batch_gives()
    {
        string path = TinyEncoders.Write(tokenTypes: false);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);
        var done = new List<int>();

        float[] batched = encoder.EncodeInBatches(Ids, Mask, rows: 2, batchSize: 1, new SynchronousProgress(done), CancellationToken.None);

        Assert.Equal(encoder.Encode(Ids, Mask, 2), batched);
        Assert.Equal([1, 2], done);
    }

    [Fact]
    public void Rows_batched_by_length_come_back_in_their_own_order_each_as_it_embeds_alone()
    {
        string path = TinyEncoders.Write(tokenTypes: false);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);
        long[] ids = [3, 4, 4, 1, 2, 3, 2, 4, 4, 1, 2, 4];
        long[] mask = [1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0];
        var done = new List<int>();

        float[] batched = encoder.EncodeInBatches(ids, mask, rows: 4, batchSize: 2, new SynchronousProgress(done), CancellationToken.None);

        for (int row = 0; row < 4; row++)
        {
            float[] alone = encoder.Encode(ids.AsSpan(row * 3, 3), mask.AsSpan(row * 3, 3), 1);
            Assert.Equal(alone, batched.AsSpan(row * encoder.HiddenSize, encoder.HiddenSize).ToArray());
        }
        Assert.Equal([2, 4], done);
    }

    [Fact]
    public void A_graph_without_the_encoder_inputs_is_refused_naming_the_inputs_it_has()
    {
        string path = TinyEncoders.WriteClassifier();

        var error = Assert.Throws<InvalidDataException>(() => new OnnxSentenceEncoder(path, intraOpThreads: 1));

        Assert.Contains(path, error.Message);
        Assert.Contains("expected the inputs input_ids and attention_mask", error.Message);
        Assert.Contains("the graph has [pixels float [batch, 4]]", error.Message);
    }

    [Theory]
    [InlineData(2, "Attention mask of row 0, position 1 is 2")]
    [InlineData(0, "Row 0 attends to no token")]
    public void Masks_other_than_zero_or_one_per_token_are_refused(long value, string message)
    {
        string path = TinyEncoders.Write(tokenTypes: false);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);
        long[] mask = value == 0 ? [0, 0, 0] : [1, value, 0];

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode([1, 2, 3], mask, 1));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Ids_that_do_not_split_into_the_batch_are_refused()
    {
        string path = TinyEncoders.Write(tokenTypes: false);
        using var encoder = new OnnxSentenceEncoder(path, intraOpThreads: 1);

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode([1, 2, 3], [1, 1, 1], 2));

        Assert.Contains("3 token ids do not split into 2 rows", error.Message);
    }

    private sealed class SynchronousProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}

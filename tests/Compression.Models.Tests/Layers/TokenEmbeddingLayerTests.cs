using Compression.Models.Spec;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Layers;

public class TokenEmbeddingLayerTests
{
    private const string Embedding = """{"input":[2,6],"layers":[{"type":"token-embedding","vocabulary":20,"hidden":4,"maxPositions":8,"dropout":0}]}""";

    [Fact]
    public void Ids_become_vectors_with_positions_and_the_mask_rides_along_as_the_last_channel()
    {
        ModelSpec spec = Specs.Parse(Embedding);
        Assert.Equal([6, 5], spec.OutputShape());
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);
        model.eval();
        float[] sample = [1, 7, 7, 3, 0, 0, 1, 1, 1, 1, 0, 0];
        using Tensor output = model.forward(tensor(sample, [1, 2, 6]));

        Assert.Equal([1L, 6L, 5L], output.shape);
        float[] values = output.data<float>().ToArray();
        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f], Enumerable.Range(0, 6).Select(t => values[(t * 5) + 4]));
        // The same id at two positions differs (position embeddings); LayerNorm leaves each token mean 0.
        Assert.NotEqual(values[5..9], values[10..14]);
        Assert.Equal(0, values[5..9].Average(), 5);
    }

    [Fact]
    public void Without_its_norm_a_token_is_its_word_vector_plus_its_position_vector_and_the_setting_round_trips()
    {
        ModelSpec spec = Specs.Parse(Embedding.Replace("\"dropout\":0", "\"dropout\":0,\"norm\":false", StringComparison.Ordinal));
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);
        model.eval();
        float[] sample = [1, 7, 7, 3, 0, 0, 1, 1, 1, 1, 0, 0];
        using Tensor output = model.forward(tensor(sample, [1, 2, 6]));
        var module = (Compression.Models.Layers.TokenEmbeddingModule)model.Layers[0];
        float[] words = module.WordTable.data<float>().ToArray(), positions = module.PositionTable.data<float>().ToArray();

        float[] values = output.data<float>().ToArray();
        // Token 2 (id 7 at position 2): no LayerNorm, so exactly the two table rows summed, and the length differs per token.
        Assert.Equal(Enumerable.Range(0, 4).Select(h => words[(7 * 4) + h] + positions[(2 * 4) + h]), values[10..14]);
        Assert.Null(module.Norm);
        Assert.Equal(spec.ToJson(), Specs.Parse(spec.ToJson()).ToJson());
        Assert.Contains("\"norm\":false", spec.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("norm", Specs.Parse(Embedding).ToJson(), StringComparison.Ordinal);
        Assert.Equal((20 * 4) + (8 * 4), spec.Layers[0].Type.StoredValues(spec.Layers[0].Settings, [2, 6], [6, 5]));
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_a_clear_error()
    {
        using SequentialModel model = ModelFactory.Create(Specs.Parse(Embedding), seed: 1);
        float[] sample = [1, 20, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.forward(tensor(sample, [1, 2, 6])));
        Assert.Contains("token id 20 is outside the token-embedding's vocabulary of 20 ids", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"input":[2,10],"layers":[{"type":"token-embedding","vocabulary":20,"hidden":4,"maxPositions":8}]}""", "m.layers[0].maxPositions", "shorter than the input's 10 tokens")]
    [InlineData("""{"input":[3,8],"layers":[{"type":"token-embedding","vocabulary":20,"hidden":4,"maxPositions":8}]}""", "m.layers[0]", "[2, length]")]
    [InlineData("""{"input":[2,8],"layers":[{"type":"token-embedding","hidden":4,"maxPositions":8}]}""", "m.layers[0]", "needs \"vocabulary\"")]
    [InlineData("""{"input":[2,8],"layers":[{"type":"token-embedding","vocabulary":0,"hidden":4,"maxPositions":8}]}""", "m.layers[0].vocabulary", "at least 1")]
    public void Bad_settings_and_inputs_are_spec_errors_at_their_field(string json, string path, string message)
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse(json, "m"));
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}

using Compression.Abstractions.Distillation;
using Compression.Models.Spec;
using Compression.Models.Training.Optimizers;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Layers;

public class EncoderLayerTests
{
    [Fact]
    public void Hidden_states_keep_the_shape_and_the_mask_channel_and_attention_is_a_tap()
    {
        ModelSpec spec = TokenSamples.Student();
        IReadOnlyDictionary<string, int[]> named = spec.NamedOutputShapes();
        Assert.Equal([8, 17], named["embeddings"]);
        Assert.Equal([8, 17], named["enc1"]);
        Assert.Equal([2, 8, 8], named["enc1.attention"]);
        Assert.Equal([2, 8, 8], named["enc2.attention"]);
        Assert.Equal([16], named["pooled"]);

        using SequentialModel model = ModelFactory.Create(spec, seed: 2);
        model.eval();
        const int batch = 4;
        float[] samples = TokenSamples.Batch(batch, 8, seed: 5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.Forward(tensor(samples, [batch, 2, 8]), ["enc1", "enc1.attention"], out IReadOnlyDictionary<string, Tensor> taps);

        Assert.Equal([batch, 8L, 17L], taps["enc1"].shape);
        float[] hidden = taps["enc1"].data<float>().ToArray();
        float[] attention = taps["enc1.attention"].data<float>().ToArray();
        Assert.Equal([batch, 2L, 8L, 8L], taps["enc1.attention"].shape);
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < 8; t++)
            {
                float mask = samples[(b * 16) + 8 + t];
                Assert.Equal(mask, hidden[(((b * 8) + t) * 17) + 16]);
                for (int h = 0; h < 2; h++)
                {
                    // Each query's weights sum to 1 and give padding keys nothing.
                    int row = (((b * 2) + h) * 8 + t) * 8;
                    Assert.Equal(1.0, attention.Skip(row).Take(8).Sum(), 5);
                    for (int key = 0; key < 8; key++)
                    {
                        if (samples[(b * 16) + 8 + key] == 0)
                        {
                            Assert.Equal(0f, attention[row + key]);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void A_few_training_steps_reduce_a_mean_squared_error_to_fixed_targets()
    {
        ModelSpec spec = TokenSamples.Student();
        using SequentialModel model = ModelFactory.Create(spec, seed: 4);
        model.train();
        const int rows = 64;
        using Tensor inputs = tensor(TokenSamples.Batch(rows, 8, seed: 9), [rows, 2, 8]);
        manual_seed(11);
        using Tensor raw = randn(rows, 6);
        using Tensor norms = raw.norm(1, true);
        using Tensor targets = raw.div(norms);
        using var optimizer = new AdamOptimizer(model.parameters(), learningRate: 3e-3, weightDecay: 0, decoupledWeightDecay: false);

        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            Tensor loss = nn.functional.mse_loss(model.forward(inputs), targets);
            loss.backward();
            optimizer.Step();
            double value = loss.item<float>();
            Assert.True(double.IsFinite(value), $"step {step}: loss {value}");
            first = step == 0 ? value : first;
            last = value;
        }
        Assert.True(last < first * 0.6, $"loss went from {first} to {last}");
    }

    [Theory]
    [InlineData("""{"type":"encoder","heads":3,"hidden":16,"intermediate":32}""", "student.layers[1].heads", "must divide \"hidden\" 16")]
    [InlineData("""{"type":"encoder","heads":2,"hidden":12,"intermediate":32}""", "student.layers[1].hidden", "differs from the hidden width 16")]
    [InlineData("""{"type":"encoder","hidden":16,"intermediate":32}""", "student.layers[1]", "needs \"heads\"")]
    [InlineData("""{"type":"encoder","heads":2,"hidden":16}""", "student.layers[1]", "needs \"intermediate\"")]
    [InlineData("""{"type":"encoder","heads":2,"hidden":16,"intermediate":32,"dropout":1}""", "student.layers[1].dropout", "[0, 1)")]
    [InlineData("""{"type":"encoder","heads":2,"hidden":16,"intermediate":32,"window":4}""", "student.layers[1].window", "unknown field 'window'")]
    public void Bad_settings_are_spec_errors_at_their_field(string encoder, string path, string message)
    {
        string json = $$"""{"input":[2,8],"layers":[{"type":"token-embedding","vocabulary":50,"hidden":16,"maxPositions":8},{{encoder}},{"type":"mean-pool"}]}""";
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse(json, "student"));
        Assert.Equal(path, error.JsonPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoder_needs_a_token_sequence()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[16],"layers":[{"type":"encoder","heads":2,"hidden":16,"intermediate":32}]}""", "student"));
        Assert.Equal("student.layers[0]", error.JsonPath);
        Assert.Contains("token sequence [length, hidden + 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Costs_match_the_built_model_and_count_attention()
    {
        ModelSpec spec = TokenSamples.Student();
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);

        Assert.Equal(model.ParameterCount, Compression.Models.Pruning.SpecCost.Parameters(spec));
        // Per encoder at L 8, H 16, I 32: projections 4 L H^2, scores and context 2 L^2 H, feed-forward 2 L H I; linear 16 x 6.
        long encoder = (4 * 8 * 16 * 16) + (2 * 8 * 8 * 16) + (2 * 8 * 16 * 32);
        Assert.Equal((2 * encoder) + (16 * 6), Compression.Models.Pruning.SpecCost.Flops(spec));
    }

    [Fact]
    public void Settings_survive_the_canonical_json_round_trip()
    {
        ModelSpec spec = TokenSamples.Student();
        ModelSpec again = Specs.Parse(spec.ToJson());

        Assert.Equal(spec.ToJson(), again.ToJson());
        Assert.Contains("""{"type":"encoder","name":"enc2","heads":2,"hidden":16,"intermediate":32,"dropout":0.1}""", spec.ToJson(), StringComparison.Ordinal);
        Assert.Contains("""{"type":"token-embedding","name":"embeddings","vocabulary":50,"hidden":16,"maxPositions":12,"dropout":0.1}""", spec.ToJson(), StringComparison.Ordinal);
    }
}

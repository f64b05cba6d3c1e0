using Compression.Models.Spec;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Layers;

public class MeanPoolLayerTests
{
    [Fact]
    public void Padding_changes_nothing_in_the_pooled_embedding()
    {
        ModelSpec spec = TokenSamples.Student();
        using SequentialModel model = ModelFactory.Create(spec, seed: 3);
        model.eval();
        const int batch = 6;
        float[] samples = TokenSamples.Batch(batch, 8, seed: 1);
        // The same sentences padded further (to 12) with other padding ids: only the mask may matter.
        float[] longer = TokenSamples.Repad(samples, batch, 8, 12, paddingId: 37);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] short8 = model.forward(tensor(samples, [batch, 2, 8])).data<float>().ToArray();
        float[] long12 = model.forward(tensor(longer, [batch, 2, 12])).data<float>().ToArray();

        Assert.Equal(batch * 6, short8.Length);
        double max = short8.Zip(long12, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(max <= 1e-5, $"padding moved the embedding by {max}");
        // A control: changing a real token does change it, so the comparison above can fail.
        float[] changed = (float[])samples.Clone();
        changed[1] = changed[1] == 5 ? 6 : 5;
        float[] other = model.forward(tensor(changed, [batch, 2, 8])).data<float>().ToArray();
        Assert.True(short8.Zip(other, (a, b) => Math.Abs(a - b)).Take(6).Max() > 1e-3);
    }

    [Fact]
    public void The_mean_is_over_the_masked_tokens_only()
    {
        ModelSpec spec = Specs.Parse("""{"input":[3,3],"layers":[{"type":"mean-pool"}]}""");
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);
        // Tokens (rows) [1, 2 | 1], [3, 4 | 1], [100, 100 | 0]: the mean of the first two.
        using Tensor input = tensor(new float[] { 1, 2, 1, 3, 4, 1, 100, 100, 0 }, [1, 3, 3]);
        using Tensor pooled = model.forward(input);

        Assert.Equal([1L, 2L], pooled.shape);
        Assert.Equal([2f, 3f], pooled.data<float>().ToArray());
        Assert.Equal([2], spec.OutputShape());
    }

    [Fact]
    public void A_sample_that_is_all_padding_pools_to_zeros_not_nan()
    {
        ModelSpec spec = Specs.Parse("""{"input":[2,3],"layers":[{"type":"mean-pool"}]}""");
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);
        using Tensor input = tensor(new float[] { 5, 7, 0, 6, 8, 0 }, [1, 2, 3]);
        using Tensor pooled = model.forward(input);

        Assert.Equal([0f, 0f], pooled.data<float>().ToArray());
    }

    [Fact]
    public void Mean_pool_needs_a_token_sequence()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[16],"layers":[{"type":"mean-pool"}]}""", "student"));
        Assert.Equal("student.layers[0]", error.JsonPath);
        Assert.Contains("token sequence", error.Message, StringComparison.Ordinal);
    }
}

using Compression.Models.Spec;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Layers;

public class NormalizeLayerTests
{
    [Fact]
    public void Rows_get_unit_length_and_a_zero_row_stays_zero()
    {
        using SequentialModel model = ModelFactory.Create(Specs.Parse("""{"input":[2],"layers":[{"type":"normalize"}]}"""), seed: 1);
        using Tensor output = model.forward(tensor(new float[] { 3, 4, 0, 0 }, [2, 2]));

        Assert.Equal([0.6f, 0.8f, 0f, 0f], output.data<float>().ToArray());
    }

    [Fact]
    public void Normalize_needs_a_feature_vector()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[2,8],"layers":[{"type":"token-embedding","vocabulary":9,"hidden":4,"maxPositions":8},{"type":"normalize"}]}""", "s"));
        Assert.Equal("s.layers[1]", error.JsonPath);
        Assert.Contains("after mean-pool", error.Message, StringComparison.Ordinal);
    }
}

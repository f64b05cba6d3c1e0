using Compression.Models.Spec;

namespace Compression.Models.Tests.Spec;

public class MemoryEstimateTests
{
    [Fact]
    public void Training_memory_is_four_copies_of_the_parameters_and_two_of_each_activation()
    {
        ModelSpec spec = Specs.Parse("""{"input":[10],"layers":[{"type":"linear","out":20},{"type":"relu"},{"type":"linear","out":3}]}""");

        MemoryEstimate estimate = MemoryEstimate.Of(spec, batchSize: 8);

        // Parameters: 10*20+20 = 220 and 20*3+3 = 63 -> 283 floats x 4 copies x 4 bytes = 4,528.
        // Activations per sample: input 10 (once), outputs 20 + 20 + 3 = 43 (x2 for gradients) -> x8 samples x 4 bytes.
        double expected = (283 * 4 * 4) + (10 * 8 * 4) + (43 * 2 * 8 * 4);
        Assert.Equal(expected, estimate.TrainingBytes);
        Assert.Equal(0, estimate.LargestLayer);
    }

    [Fact]
    public void A_two_billion_unit_hidden_layer_is_refused_naming_the_layer_without_allocating()
    {
        ModelSpec spec = Specs.Parse("""{"input":[784],"layers":[{"type":"linear","out":2000000000},{"type":"relu"},{"type":"linear","out":10}]}""");
        long before = GC.GetAllocatedBytesForCurrentThread();

        string? message = MemoryEstimate.Check(spec, 64, 8L << 30, "a test limit", "teacher.model", out string layerPath);

        Assert.Equal("teacher.model.layers[0]", layerPath);
        Assert.NotNull(message);
        Assert.Contains("TB, above the limit of 8.0 GiB (a test limit); the largest part is teacher.model.layers[0] (linear, 2,000,000,000 outputs", message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void A_spec_that_fits_passes()
    {
        ModelSpec spec = Specs.Parse("""{"input":[1,28,28],"layers":[{"type":"conv2d","out":8,"kernel":3},{"type":"flatten"},{"type":"linear","out":10}]}""");

        Assert.Null(MemoryEstimate.Check(spec, 64, 1L << 30, "1 GiB", "student", out _));
    }

    [Fact]
    public void A_flatten_beyond_a_layers_size_is_a_spec_error()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse(
            """{"input":[3,60000,60000],"layers":[{"type":"flatten"},{"type":"linear","out":2}]}"""));

        Assert.Equal("model.layers[0]", error.JsonPath);
    }
}

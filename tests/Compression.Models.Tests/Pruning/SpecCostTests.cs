using Compression.Models.Pruning;
using Compression.Models.Spec;

namespace Compression.Models.Tests.Pruning;

public class SpecCostTests
{
    [Fact]
    public void Flops_are_the_multiply_adds_of_convs_linear_layers_and_projections()
    {
        // conv: 4 x 6 x 6 outputs x (1 x 3 x 3); depthwise: 4 x 6 x 6 x 9; linear 144 -> 3;
        // residual: body linear 3 -> 5 plus projection 3 -> 5.
        ModelSpec spec = Specs.Parse("""{"input":[1,6,6],"layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1},{"type":"batchnorm"},{"type":"conv2d","out":4,"kernel":3,"padding":1,"groups":4},{"type":"flatten"},{"type":"linear","out":3},{"type":"residual","layers":[{"type":"linear","out":5}]}]}""");

        Assert.Equal((4 * 36 * 9) + (4 * 36 * 9) + (144 * 3) + (3 * 5) + (3 * 5), SpecCost.Flops(spec));
    }

    [Fact]
    public void Parameters_match_the_built_model()
    {
        ModelSpec spec = Specs.Parse("""{"input":[2,6,6],"layers":[{"type":"conv2d","out":4,"kernel":3},{"type":"batchnorm"},{"type":"residual","layers":[{"type":"conv2d","out":8,"kernel":1,"bias":false}]},{"type":"conv2d","out":8,"kernel":3,"groups":8},{"type":"flatten"},{"type":"linear","out":3}]}""");
        using SequentialModel model = ModelFactory.Create(spec, 1);

        Assert.Equal(model.ParameterCount, SpecCost.Parameters(spec));
    }

    [Fact]
    public void The_mnist_teacher_costs_4_6_million_multiply_adds()
    {
        ModelSpec spec = Specs.Parse("""{"input":[1,28,28],"layers":[{"type":"conv2d","out":32,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"conv2d","out":64,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":256},{"type":"relu"},{"type":"dropout","p":0.5},{"type":"linear","out":10}]}""");

        Assert.Equal((28 * 28 * 32 * 9) + (14 * 14 * 64 * 32 * 9) + (3136 * 256) + (256 * 10), SpecCost.Flops(spec));
    }
}

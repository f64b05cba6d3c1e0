using Compression.Models.Export;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Onnx;

namespace Compression.Models.Tests.Pruning;

/// <summary>The host counts FLOPs from ONNX graphs; the pruner from specs. Both must agree on every layer kind.</summary>
public class OnnxFlopsTests
{
    public static TheoryData<string> Specs => new()
    {
        """{"input":[1,28,28],"layers":[{"type":"conv2d","out":32,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"conv2d","out":64,"kernel":3,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":256},{"type":"relu"},{"type":"dropout","p":0.5},{"type":"linear","out":10}]}""",
        """{"input":[3,9,9],"layers":[{"type":"conv2d","out":8,"kernel":3,"stride":2,"padding":1},{"type":"batchnorm"},{"type":"hardswish"},{"type":"conv2d","out":8,"kernel":3,"padding":1,"groups":8},{"type":"silu"},{"type":"avgpool2d","kernel":2,"stride":2},{"type":"globalavgpool"},{"type":"flatten"},{"type":"linear","out":4},{"type":"gelu"}]}""",
        """{"input":[4,8,8],"layers":[{"type":"residual","layers":[{"type":"conv2d","out":4,"kernel":3,"stride":2,"padding":1,"groups":4},{"type":"relu6"},{"type":"conv2d","out":8,"kernel":1}]},{"type":"residual","layers":[{"type":"conv2d","out":8,"kernel":3,"padding":1},{"type":"batchnorm"}]},{"type":"flatten"},{"type":"batchnorm"},{"type":"linear","out":12},{"type":"residual","layers":[{"type":"linear","out":6}]}]}""",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_exported_graph_has_the_multiply_adds_of_its_spec(string json)
    {
        ModelSpec spec = Compression.Models.Tests.Specs.Parse(json);
        using SequentialModel model = ModelFactory.Create(spec, 1);
        string path = Path.Combine(Path.GetTempPath(), $"flops-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            Assert.Equal(SpecCost.Flops(spec), OnnxFlops.Count(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_graph_with_an_operator_it_does_not_know_has_no_count()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 4]);
        builder.AddNode("LpNormalization", ["x"], ["y"]);
        builder.AddOutput("y", [null, 4]);

        Assert.Null(OnnxFlops.Count(builder.Build("test")));
    }
}

using Compression.Core.Teacher.Backbone;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Tests.Teacher.Backbone;

public sealed class GraphEditTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>x op c over [batch, 4], with tensors named as in every small graph (so chaining two must rename).</summary>
    private static ModelProto Elementwise(string op, float constant, long opset = 17)
    {
        var builder = new OnnxGraphBuilder(op);
        builder.AddInput("x", [null, 4]);
        string c = builder.AddInitializer("c", [], [constant]);
        builder.AddNode(op, ["x", c], ["y"]);
        builder.AddOutput("y", [null, 4]);
        return builder.Build("tests", opset);
    }

    private float[] Run(ModelProto model, float[] input)
    {
        string path = Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        using var session = new OnnxInferenceSession(path);
        return session.Run(input, input.Length / 4);
    }

    [Fact]
    public void Chaining_runs_the_first_graph_then_the_second_on_its_output_with_clashing_names()
    {
        ModelProto chained = GraphEdit.Chain(Elementwise("Sub", 1), Elementwise("Mul", 3));
        Assert.Equal([0f, 3f, 6f, 9f], Run(chained, [1, 2, 3, 4]));
    }

    [Fact]
    public void Graphs_of_different_opsets_are_not_chained()
    {
        var ex = Assert.Throws<ArgumentException>(() => GraphEdit.Chain(Elementwise("Sub", 1, opset: 8), Elementwise("Mul", 3)));
        Assert.Contains("opset 8", ex.Message);
    }

    [Fact]
    public void A_linear_head_turns_the_output_into_logits()
    {
        ModelProto model = Elementwise("Mul", 2);
        GraphEdit.AppendLinearHead(model, [1, 0, 0, 0, 0, 0, 0, 1], [0.5f, -0.5f]);
        Assert.Equal([2.5f, 7.5f], Run(model, [1, 2, 3, 4]));
        Assert.Equal(2, model.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue);
    }
}

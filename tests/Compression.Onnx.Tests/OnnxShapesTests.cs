namespace Compression.Onnx.Tests;

public class OnnxShapesTests
{
    [Fact]
    public void Shapes_follow_a_Concat_and_stop_after_an_operator_it_does_not_know()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2, 5, 5]);
        string w = builder.AddInitializer("w", [3, 2, 1, 1], new float[6]);
        builder.AddNode("Conv", ["x", w], ["a"]).Ints("kernel_shape", 1, 1);
        builder.AddNode("Concat", ["a", "x"], ["joined"]).Int("axis", 1);
        builder.AddNode("LpNormalization", ["joined"], ["normed"]);
        builder.AddNode("Relu", ["normed"], ["y"]);
        builder.AddOutput("y", [null, 5, 5, 5]);

        IReadOnlyDictionary<string, long[]> shapes = OnnxShapes.Infer(builder.Build("test"));

        Assert.Equal([1L, 3, 5, 5], shapes["a"]);
        Assert.Equal([1L, 5, 5, 5], shapes["joined"]);
        Assert.False(shapes.ContainsKey("normed"));
        Assert.False(shapes.ContainsKey("y"));
    }
}

using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Quantization.Graph;
using Compression.Onnx.Tests;
using Compression.Quantization.Tests.Rewriting;
using Google.Protobuf;

namespace Compression.Quantization.Tests.Graph;

public class BatchNormFoldingTests
{
    private static readonly Random s_random = new(11);

    private static float[] Random(int count, double low = -0.5, double high = 0.5) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(low + (s_random.NextDouble() * (high - low))))];

    private static void AddNorm(OnnxGraphBuilder builder, string input, string output, string prefix, int channels) =>
        builder.AddNode("BatchNormalization", [
            input,
            builder.AddInitializer($"{prefix}.scale", [channels], Random(channels, 0.5, 2)),
            builder.AddInitializer($"{prefix}.shift", [channels], Random(channels)),
            builder.AddInitializer($"{prefix}.mean", [channels], Random(channels)),
            builder.AddInitializer($"{prefix}.var", [channels], Random(channels, 0.1, 3)),
        ], [output], $"{prefix}.norm").Float("epsilon", 1e-3f);

    /// <summary>
    /// x -> Conv (no bias) -> BN -> Relu -> Conv (bias, weight shared with a third conv) -> BN -> out1;
    /// the shared-weight conv -> its output read twice (by a BN and by out2), which must not be folded.
    /// </summary>
    private static ModelProto Model()
    {
        var builder = new OnnxGraphBuilder("bn");
        builder.AddInput("x", [null, SmallGraph.Channels, SmallGraph.Side, SmallGraph.Side]);
        string w1 = builder.AddInitializer("w1", [3, SmallGraph.Channels, 3, 3], Random(3 * SmallGraph.Channels * 9));
        builder.AddNode("Conv", ["x", w1], ["c1"], "conv1").Ints("pads", 1, 1, 1, 1);
        AddNorm(builder, "c1", "n1", "bn1", 3);
        builder.AddNode("Relu", ["n1"], ["r1"]);
        string w2 = builder.AddInitializer("w2", [3, 3, 1, 1], Random(9));
        string b2 = builder.AddInitializer("b2", [3], Random(3));
        builder.AddNode("Conv", ["r1", w2, b2], ["c2"], "conv2");
        AddNorm(builder, "c2", "out1", "bn2", 3);
        builder.AddNode("Conv", ["r1", w2, b2], ["c3"], "conv3");
        AddNorm(builder, "c3", "n3", "bn3", 3);
        builder.AddNode("Add", ["n3", "c3"], ["out2"]);
        builder.AddOutput("out1", [null, 3, SmallGraph.Side, SmallGraph.Side]);
        builder.AddOutput("out2", [null, 3, SmallGraph.Side, SmallGraph.Side]);
        return builder.Build("tests");
    }

    private static List<float[]> Run(ModelProto model)
    {
        var (batch, count) = SmallGraph.Batches(1, 4, seed: 3).Single();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model.ToByteArray());
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(batch, [count, SmallGraph.Channels, SmallGraph.Side, SmallGraph.Side]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["x"], [input], ["out1", "out2"]);
        return [.. outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray())];
    }

    [Fact]
    public void Each_normalisation_right_after_a_conv_is_folded_into_it_and_the_outputs_stay()
    {
        ModelProto model = Model();
        var before = Run(model);

        var folded = BatchNormFolding.Apply(model);

        Assert.Equal(["bn1.norm", "bn2.norm"], folded);
        var after = Run(model);
        for (int o = 0; o < before.Count; o++)
        {
            Assert.All(before[o].Zip(after[o]), p => Assert.Equal(p.First, p.Second, 1e-5f));
        }
        Assert.Equal(["Conv", "Relu", "Conv", "Conv", "BatchNormalization", "Add"], model.Graph.Node.Select(n => n.OpType));
        // The conv without a bias got one; the shared weight stays for the conv that was not folded.
        Assert.Equal(3, model.Graph.Node.Single(n => n.Name == "conv1").Input.Count);
        Assert.Contains(model.Graph.Initializer, t => t.Name == "w2");
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name is "w1" or "bn1.scale" or "bn2.var");
        string path = Path.Combine(Path.GetTempPath(), $"bn-folded-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        OnnxChecker.AssertValid(path);
        File.Delete(path);
    }

    [Fact]
    public void A_normalisation_after_anything_but_a_conv_is_left_alone()
    {
        var builder = new OnnxGraphBuilder("bn");
        builder.AddInput("x", [null, SmallGraph.Channels, SmallGraph.Side, SmallGraph.Side]);
        builder.AddNode("Relu", ["x"], ["r"]);
        AddNorm(builder, "r", "y", "bn", SmallGraph.Channels);
        builder.AddOutput("y", [null, SmallGraph.Channels, SmallGraph.Side, SmallGraph.Side]);
        ModelProto model = builder.Build("tests");

        Assert.Empty(BatchNormFolding.Apply(model));
        Assert.Equal(["Relu", "BatchNormalization"], model.Graph.Node.Select(n => n.OpType));
    }
}

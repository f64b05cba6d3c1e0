using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Quantization.Dynamic;
using Compression.Quantization.Qdq;

namespace Compression.Quantization.Tests.Rewriting;

public class DynamicRewriterTests
{
    [Fact]
    public void Matrix_products_become_MatMulInteger_and_convolutions_ConvInteger_with_int8_weights()
    {
        ModelProto model = SmallGraph.Build();
        DynamicRewriter.Apply(model, QuantizableNodes.Find(model.Graph, []), perChannel: true);

        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(3, ops.Count(o => o == "MatMulInteger"));
        Assert.Equal(1, ops.Count(o => o == "ConvInteger"));
        Assert.DoesNotContain("Gemm", ops);
        Assert.DoesNotContain("MatMul", ops);
        // flat feeds both the Gemm and the MatMul: it is quantized once.
        Assert.Equal(3, ops.Count(o => o == "DynamicQuantizeLinear"));
        // Gemm's [out, in] weight is stored as MatMulInteger's [in, out].
        Assert.Equal([16L, 8L], model.Graph.Initializer.Single(t => t.Name == "gemm.weight_q").Dims);
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name.EndsWith(".weight", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_dynamic_graph_passes_the_checker_and_stays_close_to_float(bool perChannel)
    {
        ModelProto model = SmallGraph.Build();
        DynamicRewriter.Apply(model, QuantizableNodes.Find(model.Graph, []), perChannel);
        SmallGraph.AssertValidAndClose(model, maxRelativeError: 0.05);
    }

    [Fact]
    public void A_node_left_out_keeps_its_float_weight()
    {
        ModelProto model = SmallGraph.Build();
        DynamicRewriter.Apply(model, QuantizableNodes.Find(model.Graph, ["Conv"]), perChannel: true);

        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv");
        Assert.Contains(model.Graph.Initializer, t => t.Name == "conv.weight" && t.DataType == (int)TensorProto.Types.DataType.Float);
    }

    [Fact]
    public void Chained_matrix_products_each_get_their_own_scale_tensors()
    {
        var builder = new Onnx.OnnxGraphBuilder("chain");
        builder.AddInput("x", [null, 4]);
        builder.AddNode("Gemm", ["x", builder.AddInitializer("w1", [5, 4], Enumerable.Range(0, 20).Select(i => (i % 7) / 7f - 0.4f).ToArray())], ["h"], "First").Int("transB", 1);
        builder.AddNode("Gemm", ["h", builder.AddInitializer("w2", [3, 5], Enumerable.Range(0, 15).Select(i => (i % 5) / 5f - 0.3f).ToArray())], ["y"], "Second").Int("transB", 1);
        builder.AddOutput("y", [null, 3]);
        ModelProto fp32 = builder.Build("tests"), model = fp32.Clone();

        DynamicRewriter.Apply(model, QuantizableNodes.Find(model.Graph, []), perChannel: true);

        var outputs = model.Graph.Node.SelectMany(n => n.Output).ToList();
        Assert.Equal(outputs.Count, outputs.Distinct(StringComparer.Ordinal).Count());
        float[] input = [0.1f, 0.9f, -0.5f, 0.3f, 1f, -1f, 0.2f, 0.4f];
        using var expected = new Microsoft.ML.OnnxRuntime.InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(fp32));
        using var actual = new Microsoft.ML.OnnxRuntime.InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        float[] Run(Microsoft.ML.OnnxRuntime.InferenceSession session)
        {
            using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [2, 4]);
            using var results = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["x"], [value], ["y"]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        float[] want = Run(expected), got = Run(actual);
        Assert.All(want.Zip(got), p => Assert.InRange(p.Second, p.First - 0.05f, p.First + 0.05f));
    }
}

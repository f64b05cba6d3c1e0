using Compression.Onnx.Proto;
using Compression.Quantization.Ranges;
using Compression.Quantization.Qdq;

namespace Compression.Quantization.Tests.Rewriting;

public class QdqRewriterTests
{
    private static ModelProto Quantize(QdqOptions options, params string[] exclude)
    {
        ModelProto model = SmallGraph.Build();
        var nodes = QuantizableNodes.Find(model.Graph, exclude);
        var passThrough = QuantizableNodes.FollowingPassThrough(model.Graph, nodes);
        var ranges = ActivationRangeCollector.Collect(model, QuantizableNodes.Activations(nodes, passThrough), SmallGraph.Batches(4, 16, seed: 1), CalibrationMethod.MinMax, null, CancellationToken.None);
        QdqRewriter.Apply(model, nodes, passThrough, ranges, options);
        return model;
    }

    private static NodeProto Producer(ModelProto model, string tensor) => model.Graph.Node.Single(n => n.Output.Contains(tensor));

    private static List<NodeProto> Consumers(ModelProto model, string tensor) => model.Graph.Node.Where(n => n.Input.Contains(tensor)).ToList();

    [Fact]
    public void Float_weights_an_exporter_also_listed_as_graph_inputs_leave_the_inputs_with_their_initializers()
    {
        ModelProto model = SmallGraph.Build();
        foreach (TensorProto weight in model.Graph.Initializer)
        {
            var listed = new ValueInfoProto { Name = weight.Name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = weight.DataType, Shape = new TensorShapeProto() } } };
            listed.Type.TensorType.Shape.Dim.AddRange(weight.Dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            model.Graph.Input.Add(listed);
        }
        var nodes = QuantizableNodes.Find(model.Graph, []);
        var passThrough = QuantizableNodes.FollowingPassThrough(model.Graph, nodes);
        var ranges = ActivationRangeCollector.Collect(model, QuantizableNodes.Activations(nodes, passThrough), SmallGraph.Batches(2, 16, seed: 1), CalibrationMethod.MinMax, null, CancellationToken.None);

        QdqRewriter.Apply(model, nodes, passThrough, ranges, new QdqOptions());

        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.Equal(["x"], model.Graph.Input.Select(i => i.Name).Where(name => !initializers.Contains(name)));
        Assert.DoesNotContain(model.Graph.Input, i => i.Name == "conv.weight");
    }

    [Fact]
    public void Every_quantized_node_reads_dequantized_inputs_and_int8_weights()
    {
        ModelProto model = Quantize(new QdqOptions());

        foreach (NodeProto node in model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul" or "Add"))
        {
            Assert.All(node.Input.Where(i => i.Length > 0), i => Assert.Equal("DequantizeLinear", Producer(model, i).OpType));
        }
        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count > 0 && !t.Name.EndsWith("_s", StringComparison.Ordinal));
        Assert.All(model.Graph.Initializer.Where(t => t.Name.EndsWith("weight_q", StringComparison.Ordinal)), w => Assert.Equal((int)TensorProto.Types.DataType.Int8, w.DataType));
        Assert.All(model.Graph.Initializer.Where(t => t.Name.EndsWith("bias_q", StringComparison.Ordinal)), b => Assert.Equal((int)TensorProto.Types.DataType.Int32, b.DataType));
    }

    [Fact]
    public void A_relu_after_a_quantized_node_carries_the_only_QDQ_pair_with_zero_point_zero()
    {
        ModelProto model = Quantize(new QdqOptions(ActivationsUInt8: true));

        NodeProto conv = model.Graph.Node.Single(n => n.Name == "Conv");
        NodeProto relu = Assert.Single(Consumers(model, conv.Output[0]));
        Assert.Equal("Relu", relu.OpType);
        NodeProto quantize = Assert.Single(Consumers(model, relu.Output[0]));
        Assert.Equal("QuantizeLinear", quantize.OpType);
        TensorProto zeroPoint = model.Graph.Initializer.Single(t => t.Name == quantize.Input[2]);
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, zeroPoint.DataType);
        Assert.Equal(0, zeroPoint.RawData[0]);
        // The Add's output and the last Gemm's output (the logits) are quantized directly.
        Assert.Equal("QuantizeLinear", Assert.Single(Consumers(model, model.Graph.Node.Single(n => n.Name == "Add").Output[0])).OpType);
    }

    [Fact]
    public void Symmetric_int8_activations_quantize_both_sides_of_a_relu()
    {
        ModelProto model = Quantize(new QdqOptions(ActivationsUInt8: false));

        NodeProto conv = model.Graph.Node.Single(n => n.Name == "Conv");
        NodeProto quantize = Assert.Single(Consumers(model, conv.Output[0]));
        Assert.Equal("QuantizeLinear", quantize.OpType);
        Assert.Equal((int)TensorProto.Types.DataType.Int8, model.Graph.Initializer.Single(t => t.Name == quantize.Input[2]).DataType);
    }

    [Fact]
    public void MatMul_weights_get_a_scale_per_column_on_axis_1()
    {
        ModelProto model = Quantize(new QdqOptions());

        NodeProto matMul = model.Graph.Node.Single(n => n.Name == "MatMul");
        NodeProto dequantize = Producer(model, matMul.Input[1]);
        Assert.Equal(1, dequantize.Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal([16L, 8L], model.Graph.Initializer.Single(t => t.Name == dequantize.Input[0]).Dims);
        Assert.Equal([8L], model.Graph.Initializer.Single(t => t.Name == dequantize.Input[1]).Dims);
    }

    [Fact]
    public void The_quantized_graph_passes_the_checker_and_stays_close_to_float()
    {
        ModelProto model = Quantize(new QdqOptions());
        SmallGraph.AssertValidAndClose(model, maxRelativeError: 0.1);
    }

    [Fact]
    public void Fake_quantized_weights_stay_float_behind_a_QDQ_pair_and_compute_what_the_int8_model_computes()
    {
        ModelProto int8 = Quantize(new QdqOptions());
        ModelProto fake = Quantize(new QdqOptions(FakeQuantizedWeights: true));

        Assert.DoesNotContain(fake.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Int32);
        foreach (NodeProto node in fake.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul"))
        {
            NodeProto dequantize = Producer(fake, node.Input[1]);
            NodeProto quantize = Producer(fake, dequantize.Input[0]);
            Assert.Equal(("DequantizeLinear", "QuantizeLinear"), (dequantize.OpType, quantize.OpType));
            TensorProto weight = fake.Graph.Initializer.Single(t => t.Name == quantize.Input[0]);
            Assert.Equal((int)TensorProto.Types.DataType.Float, weight.DataType);
        }
        SmallGraph.AssertValidAndClose(fake, maxRelativeError: 0.1);
        // Same weight rounding and activation pairs: only the int32 bias rounding differs.
        var (batch, count) = SmallGraph.Batches(1, 32, seed: 5).Single();
        float[] fromInt8 = SmallGraph.Run(int8, batch, count), fromFake = SmallGraph.Run(fake, batch, count);
        double scale = fromInt8.Max(Math.Abs);
        Assert.True(fromInt8.Zip(fromFake, (a, b) => Math.Abs(a - b)).Max() / scale < 0.01, "the fake-quantized graph should compute what the int8 one does");
    }

    [Fact]
    public void Excluded_nodes_keep_float_weights_and_a_float_output()
    {
        ModelProto model = Quantize(new QdqOptions(), "MatMul");

        NodeProto matMul = model.Graph.Node.Single(n => n.Name == "MatMul");
        Assert.Contains(model.Graph.Initializer, t => t.Name == matMul.Input[1] && t.DataType == (int)TensorProto.Types.DataType.Float);
        // Its output goes straight to the Add, which, with one float input, stays float too.
        Assert.Equal("Add", Assert.Single(Consumers(model, matMul.Output[0])).OpType);
        NodeProto add = model.Graph.Node.Single(n => n.Name == "Add");
        Assert.NotEqual("DequantizeLinear", Producer(model, add.Input[1]).OpType);
    }

    [Fact]
    public void Quantizing_either_way_keeps_the_parameter_count()
    {
        long fp32 = Onnx.OnnxModelInfo.CountParameters(SmallGraph.Build());
        ModelProto dynamic = SmallGraph.Build();
        Dynamic.DynamicRewriter.Apply(dynamic, QuantizableNodes.Find(dynamic.Graph, []), perChannel: true);

        Assert.Equal(fp32, Onnx.OnnxModelInfo.CountParameters(Quantize(new QdqOptions())));
        Assert.Equal(fp32, Onnx.OnnxModelInfo.CountParameters(dynamic));
    }

    /// <summary>Exporters such as CNTK's and TensorFlow's name a node after its output; the QDQ nodes, named after tensors, must not clash with them.</summary>
    [Fact]
    public void Nodes_named_like_their_outputs_keep_every_node_name_unique()
    {
        ModelProto model = SmallGraph.Build();
        foreach (NodeProto node in model.Graph.Node)
        {
            node.Name = node.Output[0];
        }
        var nodes = QuantizableNodes.Find(model.Graph, []);
        var passThrough = QuantizableNodes.FollowingPassThrough(model.Graph, nodes);
        var ranges = ActivationRangeCollector.Collect(model, QuantizableNodes.Activations(nodes, passThrough), SmallGraph.Batches(4, 16, seed: 1), CalibrationMethod.MinMax, null, CancellationToken.None);

        QdqRewriter.Apply(model, nodes, passThrough, ranges, new QdqOptions());

        Assert.Equal(model.Graph.Node.Count, model.Graph.Node.Select(n => n.Name).Distinct().Count());
        SmallGraph.AssertValidAndClose(model, 0.1);
    }
}

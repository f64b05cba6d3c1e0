using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public class OnnxModelInfoTests
{
    [Fact]
    public void Parameters_are_the_elements_of_the_weight_initializers()
    {
        // W [3, 2] + b [3].
        Assert.Equal(9, OnnxModelInfo.CountParameters(TinyModels.GemmRelu()));
    }

    [Fact]
    public void Integer_initializers_such_as_shapes_are_not_parameters()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2, 3]);
        string shape = builder.AddInt64Initializer("shape", [2], [-1, 6]);
        builder.AddInitializer("scale", [2, 2], [1f, 2f, 3f, 4f]);
        builder.AddNode("Reshape", ["x", shape], ["y"]);
        builder.AddOutput("y", [null, 6]);
        Assert.Equal(4, OnnxModelInfo.CountParameters(builder.Build("t")));
    }

    [Fact]
    public void Quantized_weights_still_count_as_parameters()
    {
        var model = TinyModels.GemmRelu();
        var int8 = new TensorProto { Name = "w_quantized", DataType = (int)TensorProto.Types.DataType.Int8, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[6]) };
        int8.Dims.AddRange([3L, 2L]);
        model.Graph.Initializer.Add(int8);
        Assert.Equal(9 + 6, OnnxModelInfo.CountParameters(model));
    }

    [Fact]
    public void Parameters_of_a_file_match_those_of_the_message()
    {
        string path = TinyModels.WriteTemp(TinyModels.GemmRelu());
        try
        {
            Assert.Equal(9, OnnxModelInfo.CountParameters(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Found by fuzzing: a malformed DynamicQuantizeLinear with one output crashed the count.</summary>
    [Fact]
    public void A_dynamic_quantize_node_without_its_scale_output_does_not_break_the_count()
    {
        ModelProto model = TinyModels.GemmRelu();
        var node = new NodeProto { OpType = "DynamicQuantizeLinear", Name = "dq" };
        node.Input.Add("input");
        node.Output.Add("input_q");
        model.Graph.Node.Add(node);

        Assert.Equal(9, OnnxModelInfo.CountParameters(model));
    }
}

using Compression.Onnx.Proto;
using Google.Protobuf;

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

    [Fact]
    public void Declared_initializer_bytes_are_each_initializers_dims_times_its_element_size()
    {
        ModelProto model = TinyModels.GemmRelu();
        var int8 = new TensorProto { Name = "w_quantized", DataType = (int)TensorProto.Types.DataType.Int8 };
        int8.Dims.AddRange([3L, 2L]);
        model.Graph.Initializer.Add(int8);
        var scalar = new TensorProto { Name = "s", DataType = (int)TensorProto.Types.DataType.Double };
        model.Graph.Initializer.Add(scalar);
        string path = TinyModels.WriteTemp(model);
        try
        {
            // float W [3, 2] and b [3]: 9 x 4 bytes; int8 [3, 2]: 6 x 1; a double scalar: 8.
            Assert.Equal((9 * 4) + 6 + 8, OnnxModelInfo.DeclaredInitializerBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Issue 12: the memory check reads what a teacher declares without loading it. A file of a few
    /// hundred bytes declaring a trillion floats, and one holding 64 MB of weights, are both measured
    /// with a small allocation (the data is skipped, never read into memory).
    /// </summary>
    [Fact]
    public void Declared_initializer_bytes_are_read_without_loading_the_weights()
    {
        ModelProto declaresHuge = TinyModels.GemmRelu();
        var huge = new TensorProto { Name = "huge", DataType = (int)TensorProto.Types.DataType.Float };
        huge.Dims.AddRange([1_000_000L, 1_000_000L]);
        declaresHuge.Graph.Initializer.Add(huge);
        ModelProto holdsWeights = TinyModels.GemmRelu();
        var weights = new TensorProto { Name = "big", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[64 << 20]) };
        weights.Dims.AddRange([16L << 20]);
        holdsWeights.Graph.Initializer.Add(weights);
        string hugePath = TinyModels.WriteTemp(declaresHuge);
        string weightsPath = TinyModels.WriteTemp(holdsWeights);
        declaresHuge = holdsWeights = null!;
        weights = null!;
        try
        {
            long before = GC.GetAllocatedBytesForCurrentThread();

            double declared = OnnxModelInfo.DeclaredInitializerBytes(hugePath);
            double held = OnnxModelInfo.DeclaredInitializerBytes(weightsPath);

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal((9 * 4) + 4e12, declared);
            Assert.Equal((9 * 4) + (64 << 20), held);
            Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        }
        finally
        {
            File.Delete(hugePath);
            File.Delete(weightsPath);
        }
    }

    [Fact]
    public void Declared_initializer_bytes_of_a_file_that_is_not_protobuf_is_a_format_error()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0x07, 1, 2, 3]);

            var error = Assert.Throws<OnnxFormatException>(() => OnnxModelInfo.DeclaredInitializerBytes(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

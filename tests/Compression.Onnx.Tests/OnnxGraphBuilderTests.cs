using System.Buffers.Binary;
using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public class OnnxGraphBuilderTests
{
    [Fact]
    public void The_built_model_declares_ir_8_the_default_opset_and_a_symbolic_batch()
    {
        ModelProto model = TinyModels.GemmRelu();
        Assert.Equal(8, model.IrVersion);
        OperatorSetIdProto opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
        Assert.Equal("compression-tests", model.ProducerName);
        TensorShapeProto input = model.Graph.Input.Single().Type.TensorType.Shape;
        Assert.Equal("batch", input.Dim[0].DimParam);
        Assert.Equal(2, input.Dim[1].DimValue);
        Assert.Equal((int)TensorProto.Types.DataType.Float, model.Graph.Output.Single().Type.TensorType.ElemType);
    }

    [Fact]
    public void Float_initializers_are_little_endian_raw_data_with_their_dims()
    {
        TensorProto w = TinyModels.GemmRelu().Graph.Initializer.Single(t => t.Name == "w");
        Assert.Equal([3L, 2L], w.Dims);
        Assert.Equal((int)TensorProto.Types.DataType.Float, w.DataType);
        Assert.Empty(w.FloatData);
        float[] values = Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadSingleLittleEndian(w.RawData.Span[(i * 4)..])).ToArray();
        Assert.Equal([1f, -1f, 2f, 0f, 0f, 1f], values);
    }

    [Fact]
    public void An_initializer_whose_dims_do_not_match_its_values_is_refused()
    {
        var builder = new OnnxGraphBuilder("g");
        var error = Assert.Throws<ArgumentException>(() => builder.AddInitializer("w", [2, 2], [1f, 2f, 3f]));
        Assert.Contains("need 4 values, got 3", error.Message);
    }

    [Fact]
    public void Unique_names_get_a_numeric_suffix_and_never_collide_with_declared_tensors()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2]);
        builder.AddNode("Relu", ["x"], ["h"]);
        Assert.Equal("x_1", builder.UniqueName("x"));
        Assert.Equal("h_1", builder.UniqueName("h"));
        Assert.Equal("h_2", builder.UniqueName("h"));
        Assert.Equal("w", builder.AddInitializer("w", [1], [1f]));
        Assert.Equal("w_1", builder.AddInitializer("w", [1], [2f]));
    }

    [Fact]
    public void Node_names_default_to_the_op_type_and_are_unique()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2]);
        NodeProto first = builder.AddNode("Relu", ["x"], ["a"]);
        NodeProto second = builder.AddNode("Relu", ["a"], ["b"]);
        NodeProto named = builder.AddNode("Relu", ["b"], ["c"], name: "last");
        Assert.Equal(["Relu", "Relu_1", "last"], new[] { first.Name, second.Name, named.Name });
    }

    [Fact]
    public void Attributes_carry_their_type_discriminator_and_value()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 4]);
        NodeProto node = builder.AddNode("Custom", ["x"], ["y"])
            .Int("i", 3).Ints("is", 1, 2).Float("f", 0.5f).Floats("fs", 1.5f, -2f).String("s", "héllo");
        var byName = node.Attribute.ToDictionary(a => a.Name);
        Assert.Equal((AttributeProto.Types.AttributeType.Int, 3L), (byName["i"].Type, byName["i"].I));
        Assert.Equal(AttributeProto.Types.AttributeType.Ints, byName["is"].Type);
        Assert.Equal([1L, 2L], byName["is"].Ints);
        Assert.Equal((AttributeProto.Types.AttributeType.Float, 0.5f), (byName["f"].Type, byName["f"].F));
        Assert.Equal(AttributeProto.Types.AttributeType.Floats, byName["fs"].Type);
        Assert.Equal([1.5f, -2f], byName["fs"].Floats);
        Assert.Equal(AttributeProto.Types.AttributeType.String, byName["s"].Type);
        Assert.Equal("héllo", byName["s"].S.ToStringUtf8());
    }

    [Fact]
    public void A_repeated_attribute_name_is_refused()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 4]);
        NodeProto node = builder.AddNode("Flatten", ["x"], ["y"]).Int("axis", 1);
        Assert.Throws<ArgumentException>(() => node.Int("axis", 2));
    }

    [Fact]
    public void Build_refuses_a_node_reading_an_undefined_tensor_and_names_it()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2]);
        builder.AddNode("Add", ["x", "missing"], ["y"], name: "add");
        builder.AddOutput("y", [null, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => builder.Build("t"));
        Assert.Contains("node add (Add) reads 'missing'", error.Message);
    }

    [Fact]
    public void Build_refuses_an_output_nothing_produces()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2]);
        builder.AddNode("Relu", ["x"], ["y"]);
        builder.AddOutput("z", [null, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => builder.Build("t"));
        Assert.Contains("'z'", error.Message);
    }

    [Fact]
    public void Each_build_is_an_independent_copy()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x", [null, 2]);
        builder.AddNode("Relu", ["x"], ["y"]);
        builder.AddOutput("y", [null, 2]);
        ModelProto first = builder.Build("t");
        builder.AddNode("Relu", ["y"], ["z"]);
        ModelProto second = builder.Build("t");
        Assert.Single(first.Graph.Node);
        Assert.Equal(2, second.Graph.Node.Count);
    }

    [Fact]
    public void The_onnx_checker_accepts_what_the_builder_writes()
    {
        string path = TinyModels.WriteTemp(TinyModels.GemmRelu());
        try
        {
            OnnxChecker.AssertValid(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_onnx_checker_is_a_real_judge_it_rejects_a_broken_model()
    {
        // Gemm reads a weight that no initializer, input or node defines.
        ModelProto model = TinyModels.GemmRelu();
        model.Graph.Node[0].Input[1] = "undefined_weight";
        string path = TinyModels.WriteTemp(model);
        try
        {
            (bool valid, string message) = OnnxChecker.Check(path);
            Assert.False(valid);
            Assert.Contains("undefined_weight", message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

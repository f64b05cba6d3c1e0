using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public class OnnxOpsetUpgradeTests
{
    private const int Batch = 2;

    /// <summary>
    /// [N, 2, 3, 3] through every operator the upgrade rewrites, at opset 8: BatchNormalization with
    /// spatial=1, Clip and Pad with attributes, Split with split sizes, Unsqueeze/Squeeze with axes,
    /// ReduceSum with axes, and a Softmax whose old meaning (over the flattened C x H x W) differs from
    /// opset 13's (over the last axis), so a plain version bump would change the output.
    /// </summary>
    private static ModelProto Opset8Model()
    {
        var builder = new OnnxGraphBuilder("opset8");
        builder.AddInput("x", [null, 2, 3, 3]);
        string scale = builder.AddInitializer("scale", [2], [1.5f, 0.5f]);
        string bias = builder.AddInitializer("bias", [2], [0.1f, -0.2f]);
        string mean = builder.AddInitializer("mean", [2], [0.3f, -0.1f]);
        string variance = builder.AddInitializer("var", [2], [2f, 0.5f]);
        builder.AddNode("BatchNormalization", ["x", scale, bias, mean, variance], ["bn"]).Int("spatial", 1).Float("epsilon", 1e-5f);
        builder.AddNode("Clip", ["bn"], ["clip"]).Float("min", -0.5f).Float("max", 0.7f);
        builder.AddNode("Pad", ["clip"], ["pad"]).Ints("pads", 0, 0, 1, 0, 0, 0, 0, 1).Float("value", 0.25f);
        builder.AddNode("Split", ["pad"], ["a", "b"]).Int("axis", 1).Ints("split", 1, 1);
        builder.AddNode("Concat", ["b", "a"], ["swapped"]).Int("axis", 1);
        builder.AddNode("Unsqueeze", ["swapped"], ["unsqueezed"]).Ints("axes", 0);
        builder.AddNode("Squeeze", ["unsqueezed"], ["squeezed"]).Ints("axes", 0);
        builder.AddNode("ReduceSum", ["squeezed"], ["summed"]).Ints("axes", 3).Int("keepdims", 1);
        builder.AddNode("Softmax", ["summed"], ["y"]);
        builder.AddOutput("y", [null, 2, 4, 1]);
        ModelProto model = builder.Build("tests", opsetVersion: 8);
        model.IrVersion = 6;
        return model;
    }

    private static float[] Input() => [.. Enumerable.Range(0, Batch * 18).Select(i => (float)Math.Sin(i * 0.7) * 2f)];

    private static float[] Run(ModelProto model)
    {
        using var session = new OnnxInferenceSession(TinyModels.WriteTemp(model));
        return session.Run(Input(), Batch);
    }

    [Fact]
    public void An_opset_8_model_raised_to_13_gives_the_same_outputs_and_passes_the_onnx_checker()
    {
        ModelProto model = Opset8Model();
        float[] before = Run(model);

        long from = OnnxOpsetUpgrade.Upgrade(model, 13);

        Assert.Equal(8, from);
        Assert.Equal(13, OnnxOpsetUpgrade.DefaultOpset(model));
        Assert.Equal(7, model.IrVersion);
        float[] after = Run(model);
        Assert.Equal(before.Length, after.Length);
        Assert.All(before.Zip(after), p => Assert.Equal(p.First, p.Second, 1e-6f));
        // The old Softmax normalised over all 8 values of a sample, not over each row of 1.
        Assert.Equal(1f, after.Take(8).Sum(), 1e-5f);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Clip" or "Pad" or "Split" or "Squeeze" or "Unsqueeze" or "ReduceSum" && n.Attribute.Any(a => a.Name is "min" or "max" or "pads" or "split" or "axes"));
        Assert.DoesNotContain(model.Graph.Node.Single(n => n.OpType == "BatchNormalization").Attribute, a => a.Name == "spatial");
        OnnxChecker.AssertValid(TinyModels.WriteTemp(model));
    }

    [Fact]
    public void An_operator_whose_meaning_it_cannot_carry_over_is_named_and_nothing_is_changed()
    {
        var builder = new OnnxGraphBuilder("opset8");
        builder.AddInput("x", [null, 2, 3, 3]);
        string scales = builder.AddInitializer("scales", [4], [1f, 1f, 2f, 2f]);
        builder.AddNode("Upsample", ["x", scales], ["up"], name: "upsample_1");
        builder.AddNode("Relu", ["up"], ["y"]);
        builder.AddOutput("y", [null, 2, 6, 6]);
        ModelProto model = builder.Build("tests", opsetVersion: 8);
        ModelProto original = model.Clone();

        var obstacles = OnnxOpsetUpgrade.Obstacles(model, 13);
        var error = Assert.Throws<InvalidOperationException>(() => OnnxOpsetUpgrade.Upgrade(model, 13));

        Assert.Equal("node 'upsample_1' (Upsample): not an operator this upgrade knows to carry over", Assert.Single(obstacles));
        Assert.Contains("upsample_1", error.Message, StringComparison.Ordinal);
        Assert.Equal(original, model);
    }

    [Fact]
    public void Initializers_listed_as_inputs_as_ir_version_3_required_stop_being_inputs()
    {
        ModelProto model = Opset8Model();
        model.IrVersion = 3;
        foreach (TensorProto initializer in model.Graph.Initializer)
        {
            model.Graph.Input.Add(new ValueInfoProto { Name = initializer.Name, Type = model.Graph.Input[0].Type.Clone() });
            model.Graph.Input[^1].Type.TensorType.Shape = new TensorShapeProto();
            model.Graph.Input[^1].Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = initializer.Dims[0] });
        }

        OnnxOpsetUpgrade.Upgrade(model, 13);

        Assert.Equal("x", Assert.Single(model.Graph.Input).Name);
        Assert.Equal(7, model.IrVersion);
    }

    [Fact]
    public void A_batch_normalization_with_spatial_0_is_refused_because_opset_9_dropped_it()
    {
        ModelProto model = Opset8Model();
        model.Graph.Node.Single(n => n.OpType == "BatchNormalization").Attribute.Single(a => a.Name == "spatial").I = 0;

        Assert.Contains(OnnxOpsetUpgrade.Obstacles(model, 13), o => o.Contains("spatial=0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_already_at_the_target_is_left_as_it_is()
    {
        ModelProto model = TinyModels.GemmRelu();
        ModelProto original = model.Clone();

        Assert.Equal(17, OnnxOpsetUpgrade.Upgrade(model, 13));
        Assert.Equal(original, model);
    }

    [Fact]
    public void A_softmax_at_opset_11_on_the_last_axis_of_a_matrix_keeps_its_values()
    {
        var builder = new OnnxGraphBuilder("opset11");
        builder.AddInput("x", [null, 18]);
        builder.AddNode("Softmax", ["x"], ["y"]).Int("axis", 1);
        builder.AddOutput("y", [null, 18]);
        ModelProto model = builder.Build("tests", opsetVersion: 11);
        float[] before = Run(model.Clone());

        OnnxOpsetUpgrade.Upgrade(model, 13);

        Assert.All(before.Zip(Run(model)), p => Assert.Equal(p.First, p.Second, 1e-6f));
    }
}

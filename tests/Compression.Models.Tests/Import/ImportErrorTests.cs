using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.Tests.Import;

/// <summary>What the importer refuses, and that its errors name what is at fault.</summary>
public class ImportErrorTests
{
    [Fact]
    public void An_unsupported_op_throws_naming_the_op_and_the_node()
    {
        NodeProto[] nodes =
        [
            new() { Name = "act1", OpType = "Relu", Input = { "x" }, Output = { "h" } },
            new() { Name = "act2", OpType = "Celu", Input = { "h" }, Output = { "y" } },
        ];
        string path = Path.Combine(Path.GetTempPath(), $"unsupported-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Write(TinyGraphs.Model(13, nodes, [("x", [2, 3])], ["y"]), path);
            var error = Assert.Throws<UnsupportedOnnxOperatorException>(() => OnnxGraphModule.Load(path));
            Assert.Equal("Celu", error.OpType);
            Assert.Equal("act2", error.NodeName);
            Assert.Contains("'Celu'", error.Message, StringComparison.Ordinal);
            Assert.Contains("'act2'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_op_of_another_domain_is_unsupported_with_its_domain_named()
    {
        NodeProto node = new() { Name = "fused", OpType = "FusedConv", Domain = "com.microsoft", Input = { "x" }, Output = { "y" } };
        var error = Assert.Throws<UnsupportedOnnxOperatorException>(() => new OnnxGraphModule(TinyGraphs.Model(13, [node], [("x", [2, 3])], ["y"])));
        Assert.Equal("com.microsoft.FusedConv", error.OpType);
        Assert.Equal("fused", error.NodeName);
    }

    [Fact]
    public void An_unsupported_variant_of_a_supported_op_is_refused_at_import_naming_the_variant()
    {
        NodeProto node = new NodeProto { Name = "pool", OpType = "MaxPool", Input = { "x" }, Output = { "y", "indices" } }.Ints("kernel_shape", 2, 2);
        var error = Assert.Throws<UnsupportedOnnxOperatorException>(() => new OnnxGraphModule(TinyGraphs.Model(12, [node], [("x", [1, 1, 4, 4])], ["y", "indices"])));
        Assert.Equal("MaxPool", error.OpType);
        Assert.Equal("pool", error.NodeName);
        Assert.Contains("Indices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_reading_a_tensor_nothing_provides_is_refused_naming_node_and_tensor()
    {
        NodeProto node = new() { Name = "add", OpType = "Add", Input = { "x", "missing" }, Output = { "y" } };
        var error = Assert.Throws<OnnxImportException>(() => new OnnxGraphModule(TinyGraphs.Model(13, [node], [("x", [2])], ["y"])));
        Assert.Contains("'add'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_listed_out_of_order_run_in_dependency_order()
    {
        NodeProto[] nodes =
        [
            new() { Name = "second", OpType = "Relu", Input = { "h" }, Output = { "y" } },
            new() { Name = "first", OpType = "Sqrt", Input = { "x" }, Output = { "h" } },
        ];
        using var module = new OnnxGraphModule(TinyGraphs.Model(13, nodes, [("x", [3])], ["y"]));
        using TorchSharp.torch.Tensor x = TorchSharp.torch.tensor(new[] { 4f, 9f, 16f });
        using TorchSharp.torch.Tensor y = module.forward(x);
        Assert.Equal([2f, 3f, 4f], y.data<float>().ToArray());
    }

    [Fact]
    public void Initializer_names_are_sanitised_stably_and_kept_apart()
    {
        NodeProto[] nodes =
        [
            new() { Name = "a", OpType = "Mul", Input = { "x", "layer.0/weight" }, Output = { "h" } },
            new() { Name = "b", OpType = "Add", Input = { "h", "layer_0_weight" }, Output = { "y" } },
        ];
        ModelProto model = TinyGraphs.Model(13, nodes, [("x", [3])], ["y"], TinyGraphs.Weight("layer.0/weight", [3], 1), TinyGraphs.Weight("layer_0_weight", [3], 2));
        using var module = new OnnxGraphModule(model);
        Assert.Equal("layer_0_weight", module.ParameterNames["layer.0/weight"]);
        Assert.Equal("layer_0_weight_2", module.ParameterNames["layer_0_weight"]);
        Assert.Equal(["layer_0_weight", "layer_0_weight_2"], module.named_parameters().Select(p => p.name).Order());
    }
}

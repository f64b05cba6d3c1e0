using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Models.Export;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.Tests.Evaluation;

/// <summary>Reading a teacher's intermediate tensors: names from the exporter, shapes declared or probed, and the errors.</summary>
public sealed class OnnxTappedTeacherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tapped-teacher").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Export(string json)
    {
        using var model = ModelFactory.Create(Specs.Parse(json), 3);
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }

    [Fact]
    public void A_named_layers_output_is_the_tensor_of_that_name_and_a_folded_pair_takes_the_batch_norms_name()
    {
        string path = Export("""{"input":[1,4,4],"layers":[{"type":"conv2d","out":3,"kernel":3,"padding":1,"name":"conv"},{"type":"batchnorm","name":"bn"},{"type":"relu","name":"act"},{"type":"conv2d","out":2,"kernel":1,"name":"solo"},{"type":"flatten"},{"type":"linear","out":2}]}""");
        var names = OnnxTappedTeacher.TensorNames(OnnxModelFile.Read(path).Graph);
        Assert.Contains("bn", names);
        Assert.Contains("act", names);
        Assert.Contains("solo", names);
        Assert.DoesNotContain("conv", names);
    }

    [Fact]
    public void Tapped_tensors_come_back_with_their_shapes_and_the_values_a_forward_pass_gives()
    {
        string json = """{"input":[1,4,4],"layers":[{"type":"conv2d","out":3,"kernel":3,"padding":1},{"type":"relu","name":"act"},{"type":"flatten"},{"type":"linear","out":2}]}""";
        using var model = ModelFactory.Create(Specs.Parse(json), 3);
        string path = Path.Combine(_folder, "teacher.onnx");
        OnnxExporter.Export(model, path);
        float[] input = Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray();

        using var teacher = new OnnxTappedTeacher(path, ["act"], classCount: 2);
        Assert.Equal([3, 4, 4], teacher.Shapes[0]);
        TeacherOutputs outputs = teacher.Run(input, 2);

        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.tensor(input, [2, 1, 4, 4]);
        var logits = model.Forward(x, ["act"], out var features);
        Assert.Equal(logits.data<float>().ToArray(), outputs.Logits, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(features["act"].data<float>().ToArray(), outputs.Features[0], (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void A_name_that_is_no_tensor_lists_the_tensors_there_are()
    {
        string path = Export("""{"input":[3],"layers":[{"type":"linear","out":4,"name":"hidden"},{"type":"relu"},{"type":"linear","out":2}]}""");
        var error = Assert.Throws<FeatureTapException>(() => new OnnxTappedTeacher(path, ["hiden"], 2));
        Assert.Contains("no tensor \"hiden\"", error.Message);
        Assert.Contains("hidden, layer1_relu", error.Message);
    }

    [Fact]
    public void A_tensor_declared_with_a_symbolic_dimension_after_the_batch_has_no_fixed_shape()
    {
        string path = Export("""{"input":[3],"layers":[{"type":"linear","out":4,"name":"hidden"},{"type":"relu"},{"type":"linear","out":2}]}""");
        ModelProto model = OnnxModelFile.Read(path);
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "width" });
        model.Graph.ValueInfo.Add(new ValueInfoProto { Name = "hidden", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = dims } } });
        OnnxModelFile.Write(model, path);

        var error = Assert.Throws<FeatureTapException>(() => new OnnxTappedTeacher(path, ["hidden"], 2));
        Assert.Contains("no fixed shape", error.Message);
        Assert.Contains("[batch, width]", error.Message);
    }

    [Fact]
    public void A_tensor_whose_shape_changes_with_the_batch_has_no_fixed_shape()
    {
        // Reshape [batch, 2] to [1, batch * 2]: the per-sample shape is not fixed.
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("input", [null, 2]);
        string shape = builder.AddInt64Initializer("shape", [2], [1, -1]);
        builder.AddNode("Reshape", ["input", shape], ["flat"]);
        builder.AddNode("Identity", ["input"], ["logits"]);
        builder.AddOutput("logits", [null, 2]);
        string path = Path.Combine(_folder, "reshape.onnx");
        OnnxModelFile.Write(builder.Build("test"), path);

        var error = Assert.Throws<FeatureTapException>(() => new OnnxTappedTeacher(path, ["flat"], 2));
        Assert.Contains("no fixed shape per sample", error.Message);
    }
}

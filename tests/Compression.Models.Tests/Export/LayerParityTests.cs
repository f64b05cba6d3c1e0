using Compression.Abstractions.Data;
using Compression.Models.Export;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Tests;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Export;

/// <summary>
/// Every layer kind, exported, must give what TorchSharp gives (max |difference| &lt;= 1e-4 through
/// ONNX Runtime) and pass the ONNX project's own checker.
/// </summary>
public class LayerParityTests
{
    public static TheoryData<string, string> Layers => new()
    {
        { "linear", """{"input":[12],"layers":[{"type":"linear","out":5}]}""" },
        { "linear without bias", """{"input":[12],"layers":[{"type":"linear","out":5,"bias":false}]}""" },
        { "conv2d", """{"input":[2,9,9],"layers":[{"type":"conv2d","out":4,"kernel":3,"stride":2,"padding":1},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "batchnorm 2d", """{"input":[3,6,6],"layers":[{"type":"batchnorm"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "batchnorm 1d", """{"input":[12],"layers":[{"type":"batchnorm"},{"type":"linear","out":3}]}""" },
        { "relu", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"relu"},{"type":"linear","out":3}]}""" },
        { "maxpool2d", """{"input":[2,8,8],"layers":[{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "avgpool2d", """{"input":[2,8,8],"layers":[{"type":"avgpool2d","kernel":2,"stride":2},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "globalavgpool", """{"input":[4,5,5],"layers":[{"type":"globalavgpool"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "flatten", """{"input":[2,3,3],"layers":[{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "dropout", """{"input":[12],"layers":[{"type":"dropout","p":0.5},{"type":"linear","out":3}]}""" },
        { "relu6", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"relu6"},{"type":"linear","out":3}]}""" },
        { "hardswish", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"hardswish"},{"type":"linear","out":3}]}""" },
        { "silu", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"silu"},{"type":"linear","out":3}]}""" },
        { "gelu", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"gelu"},{"type":"linear","out":3}]}""" },
        { "gelu last", """{"input":[12],"layers":[{"type":"linear","out":3},{"type":"gelu"}]}""" },
        { "depthwise conv2d", """{"input":[4,7,7],"layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1,"groups":4},{"type":"conv2d","out":6,"kernel":1},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "grouped conv2d", """{"input":[4,6,6],"layers":[{"type":"conv2d","out":6,"kernel":3,"groups":2,"bias":false},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "conv2d + batchnorm folded", """{"input":[3,6,6],"layers":[{"type":"conv2d","out":5,"kernel":3,"padding":1},{"type":"batchnorm"},{"type":"relu"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "conv2d without bias + batchnorm folded", """{"input":[3,6,6],"layers":[{"type":"conv2d","out":5,"kernel":3,"bias":false},{"type":"batchnorm"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "residual, identity shortcut", """{"input":[12],"layers":[{"type":"linear","out":12},{"type":"residual","layers":[{"type":"linear","out":12},{"type":"relu"},{"type":"linear","out":12}]},{"type":"linear","out":3}]}""" },
        { "residual, linear projection", """{"input":[12],"layers":[{"type":"residual","name":"block","layers":[{"type":"linear","out":8},{"type":"gelu"}]},{"type":"linear","out":3}]}""" },
        { "residual conv block with a folded batchnorm", """{"input":[4,6,6],"layers":[{"type":"residual","layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1},{"type":"batchnorm"},{"type":"relu"},{"type":"conv2d","out":4,"kernel":3,"padding":1}]},{"type":"relu"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "depthwise-separable residual with a strided projection", """{"input":[4,8,8],"layers":[{"type":"residual","layers":[{"type":"conv2d","out":4,"kernel":3,"stride":2,"padding":1,"groups":4},{"type":"relu6"},{"type":"conv2d","out":8,"kernel":1},{"type":"hardswish"}]},{"type":"globalavgpool"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "nested residual blocks, last layer", """{"input":[6],"layers":[{"type":"linear","out":3},{"type":"residual","layers":[{"type":"residual","layers":[{"type":"linear","out":3}]},{"type":"silu"}]}]}""" },
        { "named layers", """{"input":[12],"layers":[{"type":"linear","out":8,"name":"hidden"},{"type":"relu","name":"act"},{"type":"linear","out":3,"name":"head"}]}""" },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Exported_layer_matches_TorchSharp_and_passes_the_checker(string name, string json)
    {
        ModelSpec spec = Specs.Parse(json);
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        TrainBatchNormStatistics(model, spec);
        model.eval();

        int batch = 5;
        int sampleSize = spec.Input.Aggregate(1, (a, b) => a * b);
        var random = new Random(3);
        float[] input = Enumerable.Range(0, batch * sampleSize).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var data = new LabelledData(input, spec.Input, new int[batch]);
        float[] expected = ModelEvaluator.Logits(model, data);

        string path = Path.Combine(Path.GetTempPath(), $"parity-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            using var session = new OnnxInferenceSession(path);
            float[] actual = session.Run(input, batch);
            Assert.Equal(expected.Length, actual.Length);
            double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(max <= 1e-4, $"{name}: max |TorchSharp - ONNX Runtime| = {max}");
            OnnxChecker.AssertValid(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_batchnorm_after_a_conv_is_folded_into_it_and_layer_names_name_the_weights()
    {
        ModelSpec spec = Specs.Parse("""{"input":[3,6,6],"layers":[{"type":"conv2d","out":5,"kernel":3,"name":"stem"},{"type":"batchnorm"},{"type":"flatten"},{"type":"linear","out":3,"name":"head"}]}""");
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        string path = Path.Combine(Path.GetTempPath(), $"fold-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            var graph = OnnxModelFile.Read(path).Graph;

            Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");
            Assert.Equal(["Conv", "Flatten", "Gemm"], graph.Node.Select(n => n.OpType));
            Assert.Contains(graph.Initializer, t => t.Name == "stem.weight");
            Assert.Contains(graph.Initializer, t => t.Name == "head.bias");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"input":[4,5,5],"layers":[{"type":"conv2d","out":6,"kernel":3,"groups":3}]}""", "spec.layers[0].groups")]
    [InlineData("""{"input":[4],"layers":[{"type":"linear","out":3,"name":"a"},{"type":"linear","out":3,"name":"a"}]}""", "spec.layers[1].name")]
    [InlineData("""{"input":[4],"layers":[{"type":"linear","out":3,"name":"has space"}]}""", "spec.layers[0].name")]
    [InlineData("""{"input":[4],"layers":[{"type":"linear","out":3,"name":"a"},{"type":"residual","layers":[{"type":"linear","out":3,"name":"a"}]}]}""", "spec.layers[1].layers[0].name")]
    [InlineData("""{"input":[2,4,4],"layers":[{"type":"residual","layers":[{"type":"flatten"}]}]}""", "spec.layers[0].layers")]
    [InlineData("""{"input":[4],"layers":[{"type":"residual","layers":[]}]}""", "spec.layers[0].layers")]
    public void Impossible_groups_and_bad_or_repeated_names_are_spec_errors_at_their_field(string json, string path)
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse(json, "spec"));
        Assert.Equal(path, error.JsonPath);
    }

    [Fact]
    public void Names_and_groups_survive_the_canonical_json_round_trip()
    {
        ModelSpec spec = Specs.Parse("""{"input":[4,5,5],"layers":[{"type":"conv2d","out":4,"kernel":3,"groups":4,"name":"dw"},{"type":"gelu"},{"type":"residual","name":"block","layers":[{"type":"conv2d","out":4,"kernel":1}]},{"type":"flatten"},{"type":"linear","out":2}]}""");
        ModelSpec again = Specs.Parse(spec.ToJson());

        Assert.Equal(spec.ToJson(), again.ToJson());
        Assert.Equal(4, Assert.IsType<Compression.Models.Layers.Conv2dLayer.Settings>(again.Layers[0].Settings).Groups);
        Assert.Equal("dw", again.Layers[0].Name);
        Assert.IsType<Compression.Models.Layers.GeluLayer>(again.Layers[1].Type);
        Assert.IsType<Compression.Models.Layers.Conv2dLayer>(Assert.Single(again.Layers[2].Body).Type);
    }

    /// <summary>Moves BatchNorm's running statistics away from (0, 1), so the test would catch exporting the wrong ones.</summary>
    private static void TrainBatchNormStatistics(SequentialModel model, ModelSpec spec)
    {
        model.train();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            model.forward((randn([16, .. spec.Input.Select(d => (long)d)]) * 3) + 1);
        }
    }
}

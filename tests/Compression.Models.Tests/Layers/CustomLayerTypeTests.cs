using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Models.Export;
using Compression.Models.Layers;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Tests;
using ScaleLayerPlugin;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Layers;

/// <summary>A layer kind registered from another assembly goes through everything a built-in one does.</summary>
public class CustomLayerTypeTests
{
    private static readonly LayerTypes s_types = LayerTypes.BuiltIn.With([new ScaleLayer()]);

    private const string Json = """
        {"input":[2,6,6],"layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1},{"type":"scale","init":0.5,"name":"gain"},{"type":"relu"},
        {"type":"flatten"},{"type":"linear","out":5},{"type":"scale"},{"type":"linear","out":3}]}
        """;

    private static ModelSpec Parse(string json, LayerTypes types) => ModelSpec.Parse(JsonDocument.Parse(json).RootElement, "student", types);

    [Fact]
    public void A_registered_kind_parses_infers_its_shape_and_writes_canonical_json()
    {
        ModelSpec spec = Parse(Json, s_types);

        Assert.IsType<ScaleLayer>(spec.Layers[1].Type);
        Assert.Equal(0.5, Assert.IsType<ScaleLayer.Settings>(spec.Layers[1].Settings).Init);
        Assert.Equal([4, 6, 6], spec.Shapes[1]);
        Assert.Equal([5], spec.Shapes[5]);
        Assert.Contains("""{"type":"scale","name":"gain","init":0.5}""", spec.ToJson(), StringComparison.Ordinal);
        Assert.Equal(spec.ToJson(), Parse(spec.ToJson(), s_types).ToJson());
        Assert.Equal([4, 6, 6], spec.NamedOutputShapes()["gain"]);
    }

    [Fact]
    public void Without_the_registration_the_kind_is_unknown_and_the_message_lists_the_registered_names()
    {
        var builtIn = Assert.Throws<ModelSpecException>(() => Parse(Json, LayerTypes.BuiltIn));
        Assert.Equal("student.layers[1].type", builtIn.JsonPath);
        Assert.EndsWith("expected one of linear, conv2d, batchnorm, relu, maxpool2d, avgpool2d, globalavgpool, flatten, dropout, relu6, hardswish, silu, gelu, residual, token-embedding, encoder, mean-pool, normalize", builtIn.Message, StringComparison.Ordinal);

        var registered = Assert.Throws<ModelSpecException>(() => Parse("""{"input":[4],"layers":[{"type":"scal"}]}""", s_types));
        Assert.EndsWith("mean-pool, normalize, scale", registered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_setting_of_a_registered_kind_is_reported_at_its_path()
    {
        var unknownField = Assert.Throws<ModelSpecException>(() => Parse("""{"input":[4],"layers":[{"type":"scale","gain":2}]}""", s_types));
        Assert.Equal("student.layers[0].gain", unknownField.JsonPath);
        Assert.Contains("its fields are name, init", unknownField.Message, StringComparison.Ordinal);

        var badValue = Assert.Throws<ModelSpecException>(() => Parse("""{"input":[4],"layers":[{"type":"residual","layers":[{"type":"scale","init":"big"}]}]}""", s_types));
        Assert.Equal("student.layers[0].layers[0].init", badValue.JsonPath);
    }

    [Fact]
    public void A_registered_kind_builds_trains_and_exports_to_what_ONNX_Runtime_computes_alike()
    {
        ModelSpec spec = Parse(Json, s_types);
        using SequentialModel model = ModelFactory.Create(spec, seed: 3);
        Tensor gain = model.Layers[1].parameters().Single();
        Assert.Equal([4L, 1, 1], gain.shape);
        Assert.All(gain.data<float>().ToArray(), v => Assert.Equal(0.5f, v));

        LabelledData data = Inputs(spec, 8);
        TrainOneStep(model, data);
        float[] trained = gain.data<float>().ToArray();
        Assert.Contains(trained, v => v != 0.5f);

        model.eval();
        float[] expected = ModelEvaluator.Logits(model, data);
        string path = Path.Combine(Path.GetTempPath(), $"scale-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            using var session = new OnnxInferenceSession(path);
            float[] actual = session.Run(data.Features, data.Count);
            Assert.Equal(expected.Length, actual.Length);
            double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(max <= 1e-5, $"max |TorchSharp - ONNX Runtime| = {max}");
            OnnxChecker.AssertValid(path);
            Assert.Contains("gain.scale", File.ReadAllText(path, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_registered_kind_counts_in_the_costs_and_is_sliced_with_its_channels_when_pruning()
    {
        ModelSpec spec = Parse(Json, s_types);
        using SequentialModel model = ModelFactory.Create(spec, seed: 3);
        Assert.Equal(model.ParameterCount, SpecCost.Parameters(spec));
        long convAndLinear = (4L * 6 * 6 * 2 * 9) + (144L * 5) + (5L * 3);
        Assert.Equal(convAndLinear + (4 * 6 * 6) + 5, SpecCost.Flops(spec));
        Assert.True(MemoryEstimate.Of(spec, 16).TrainingBytes > MemoryEstimate.Of(Parse(Json.Replace("""{"type":"scale"},""", "", StringComparison.Ordinal), s_types), 16).TrainingBytes);

        ChannelGraph graph = ChannelGraph.Of(spec);
        ChannelGroup convChannels = graph.Groups.Single(g => g.Members.Any(m => m.Role == MemberRole.Output && m.Layer.Indices[0] == 0));
        Assert.Contains(convChannels.Members, m => m.Role == MemberRole.Norm && m.Layer.Indices[0] == 1);
        var selection = new ChannelSelection().Keep(convChannels.Id, [0, 2]);
        using SequentialModel pruned = ChannelPruner.Prune(model, graph, selection);
        Assert.Equal([2L, 1, 1], pruned.Layers[1].parameters().Single().shape);
        Assert.Equal(SpecCost.Parameters(pruned.Spec), pruned.ParameterCount);

        // The pruned model computes what the original computes with the removed channels masked.
        ChannelMask.Apply(model, graph, selection);
        LabelledData data = Inputs(spec, 4);
        double max = ModelEvaluator.Logits(model, data).Zip(ModelEvaluator.Logits(pruned, data), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(max <= 1e-5, $"max |masked - pruned| = {max}");
    }

    [Fact]
    public void Two_kinds_with_one_name_are_refused_naming_both()
    {
        var error = Assert.Throws<DuplicateLayerTypeException>(() => s_types.With([new ScaleLayer()]));
        Assert.Contains("'scale'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Message.Split(typeof(ScaleLayer).FullName!).Length - 1);
        Assert.Throws<DuplicateLayerTypeException>(() => LayerTypes.BuiltIn.With([new DuplicateRelu()]));
    }

    [Fact]
    public void A_kind_that_says_nothing_about_channels_keeps_them_whole_and_costs_nothing()
    {
        LayerTypes types = LayerTypes.BuiltIn.With([new Passthrough()]);
        ModelSpec spec = Parse("""{"input":[6],"layers":[{"type":"linear","out":5},{"type":"passthrough"},{"type":"linear","out":3}]}""", types);

        Assert.Equal([5], spec.Shapes[1]);
        Assert.Equal((6L * 5) + (5 * 3), SpecCost.Flops(spec));
        ChannelGroup hidden = ChannelGraph.Of(spec).Groups.Single(g => g.Channels == 5 && g.Members.Any(m => m.Role == MemberRole.Output));
        Assert.Equal("read by the passthrough layer layers[1]", hidden.FixedReason);
        Assert.False(hidden.Prunable);
    }

    /// <summary>Only what a kind must say: its name, module and export.</summary>
    private sealed class Passthrough : LayerType
    {
        public override string Name => "passthrough";

        public override TorchSharp.torch.nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.Identity();

        public override Compression.Onnx.Proto.NodeProto? Export(LayerExport export) => export.Builder.AddNode("Identity", [export.Input], [export.Output]);
    }

    private sealed class DuplicateRelu : LayerType
    {
        public override string Name => "ReLU";

        public override TorchSharp.torch.nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.ReLU();

        public override Compression.Onnx.Proto.NodeProto? Export(LayerExport export) => null;
    }

    private static LabelledData Inputs(ModelSpec spec, int count)
    {
        var random = new Random(9);
        int size = spec.Input.Aggregate(1, (a, b) => a * b);
        float[] features = Enumerable.Range(0, count * size).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return new LabelledData(features, spec.Input, Enumerable.Range(0, count).Select(i => i % 3).ToArray());
    }

    private static void TrainOneStep(SequentialModel model, LabelledData data)
    {
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        using var scope = NewDisposeScope();
        Tensor x = tensor(data.Features, [data.Count, .. data.SampleShape.Select(d => (long)d)]);
        Tensor y = tensor(data.Labels.Select(l => (long)l).ToArray());
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.forward(x), y).backward();
        optimizer.step();
    }
}

using Compression.Abstractions.Artifacts;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Quantization;

public class QuantizeStageTests
{
    /// <summary>A trained conv net on 6 features laid out as a 1x2x3 image, wide enough that weights dominate the file.</summary>
    private const string Spec = """{"input":[1,2,3],"layers":[{"type":"conv2d","out":32,"kernel":2,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2,"stride":1},{"type":"flatten"},{"type":"linear","out":256},{"type":"relu"},{"type":"linear","out":3}]}""";

    private static string TrainedModel(StageHarness harness)
    {
        var spec = StageHarness.Spec(Spec);
        var reshaped = new Abstractions.Data.LabelledData(harness.Data.Train.Features, [1, 2, 3], harness.Data.Train.Labels);
        using var model = ModelFactory.Create(spec, 2);
        SupervisedTrainer.Train(model, reshaped, new Abstractions.Data.LabelledData([], [1, 2, 3], []), new TrainingOptions { Epochs = 5, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string path = Path.Combine(harness.Folder, "fp32.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }

    private static Abstractions.Data.DataSplits AsImages(Abstractions.Data.DataSplits data)
    {
        Abstractions.Data.LabelledData Image(Abstractions.Data.LabelledData d) => new(d.Features, [1, 2, 3], d.Labels);
        return data with { Train = Image(data.Train), Validation = Image(data.Validation), Test = Image(data.Test) };
    }

    [Fact]
    public async Task Static_int8_keeps_accuracy_shrinks_the_file_and_places_QDQ_around_every_quantized_node()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 4 }, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.InRange(metrics["quantize.accuracy_drop_points"], -2, 2);
        Assert.True(metrics["quantize.size_ratio"] < 0.35, $"int8/fp32 size {metrics["quantize.size_ratio"]}");

        string int8 = Assert.Single(result.Artifacts).Path;
        Compression.Onnx.Tests.OnnxChecker.AssertValid(int8);
        ModelProto model = OnnxModelFile.Read(int8);
        var weights = model.Graph.Initializer.Where(t => t.Name.EndsWith("weight_quantized", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, weights.Count);
        Assert.All(weights, w => Assert.Equal((int)TensorProto.Types.DataType.Int8, w.DataType));
        Assert.All(model.Graph.Initializer.Where(t => t.Name.EndsWith("bias_quantized", StringComparison.Ordinal)), b => Assert.Equal((int)TensorProto.Types.DataType.Int32, b.DataType));
        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Name.EndsWith(".weight", StringComparison.Ordinal));
        foreach (NodeProto node in model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm"))
        {
            Assert.All(node.Input.Where(i => i.Length > 0), i => Assert.Contains(model.Graph.Node, p => p.OpType == "DequantizeLinear" && p.Output[0] == i));
            Assert.Contains(model.Graph.Node, c => c.OpType == "QuantizeLinear" && c.Input[0] == node.Output[0]);
        }
        Assert.Contains("Left in float: none", result.ReportMarkdown);
    }

    [Fact]
    public async Task Excluded_nodes_stay_float_and_are_listed()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        string gemm = OnnxModelFile.Read(fp32).Graph.Node.Last(n => n.OpType == "Gemm").Name;
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, Exclude = [gemm] }, CancellationToken.None);

        Assert.Contains($"Left in float: Gemm '{gemm}'", result.ReportMarkdown);
        ModelProto model = OnnxModelFile.Read(Assert.Single(result.Artifacts).Path);
        NodeProto last = model.Graph.Node.Single(n => n.Name == gemm);
        Assert.Contains(model.Graph.Initializer, t => t.Name == last.Input[1] && t.DataType == (int)TensorProto.Types.DataType.Float);
    }
}

using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Quantization.Qdq;
using Compression.Quantization.Ranges;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Quantization.Tests.Rewriting;

/// <summary>
/// Bias correction on a Conv without bias and a Gemm after it, per-tensor int8 weights whose scale one
/// large channel sets (so the small channels round coarsely and their output means move), and inputs
/// in [0, 1) whose mean does not cancel the rounding error.
/// </summary>
public class BiasCorrectionTests
{
    private const int Channels = 2, Side = 6, Filters = 4, Outputs = 3;

    private static ModelProto Build()
    {
        var random = new Random(11);
        float[] Weights(int count, int largeEvery) => Enumerable.Range(0, count).Select(i => (float)(random.NextDouble() - 0.3) * (i < largeEvery ? 8 : 1)).ToArray();
        var builder = new OnnxGraphBuilder("bias");
        builder.AddInput("x", [null, Channels, Side, Side]);
        string convWeight = builder.AddInitializer("conv.weight", [Filters, Channels, 3, 3], Weights(Filters * Channels * 9, Channels * 9));
        builder.AddNode("Conv", ["x", convWeight], ["conv"], "Conv").Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1);
        builder.AddNode("Flatten", ["conv"], ["flat"], "Flatten");
        string gemmWeight = builder.AddInitializer("gemm.weight", [Outputs, Filters * Side * Side], Weights(Outputs * Filters * Side * Side, Filters * Side * Side));
        string gemmBias = builder.AddInitializer("gemm.bias", [Outputs], new float[Outputs]);
        builder.AddNode("Gemm", ["flat", gemmWeight, gemmBias], ["y"], "Gemm").Int("transB", 1);
        builder.AddOutput("y", [null, Outputs]);
        return builder.Build("tests");
    }

    private static IEnumerable<(float[] Batch, int Count)> Batches()
    {
        var random = new Random(3);
        for (int b = 0; b < 4; b++)
        {
            yield return (Enumerable.Range(0, 32 * Channels * Side * Side).Select(_ => (float)random.NextDouble()).ToArray(), 32);
        }
    }

    private static ModelProto Quantize(bool correct, out BiasCorrectionOutcome? outcome)
    {
        ModelProto model = Build();
        var nodes = QuantizableNodes.Find(model.Graph, []);
        var passThrough = QuantizableNodes.FollowingPassThrough(model.Graph, nodes);
        var ranges = ActivationRangeCollector.Collect(model, QuantizableNodes.Activations(nodes, passThrough), Batches(), CalibrationMethod.MinMax, null, CancellationToken.None);
        var options = new QdqOptions(PerChannel: false);
        outcome = correct ? BiasCorrection.Apply(model, nodes, passThrough, ranges, options, Batches(), CancellationToken.None) : null;
        QdqRewriter.Apply(model, nodes, passThrough, ranges, options);
        return model;
    }

    private static float[] Run(ModelProto model, string output)
    {
        using var session = new InferenceSession(model.ToByteArray());
        var values = new List<float>();
        foreach (var (batch, count) in Batches())
        {
            using var input = OrtValue.CreateTensorValueFromMemory(batch, [count, Channels, Side, Side]);
            using var results = session.Run(new RunOptions(), ["x"], [input], [output]);
            values.AddRange(results[0].GetTensorDataAsSpan<float>().ToArray());
        }
        return [.. values];
    }

    /// <summary>Per output, the mean of int8 minus fp32 over the calibration rows; the largest in magnitude.</summary>
    private static double LargestMeanError(ModelProto int8)
    {
        float[] expected = Run(Build(), "y"), actual = Run(int8, "y");
        int rows = expected.Length / Outputs;
        return Enumerable.Range(0, Outputs).Max(o => Math.Abs(Enumerable.Range(0, rows).Average(r => actual[(r * Outputs) + o] - expected[(r * Outputs) + o])));
    }

    [Fact]
    public void Corrected_biases_remove_most_of_the_mean_output_shift_that_rounding_the_weights_causes()
    {
        double before = LargestMeanError(Quantize(correct: false, out _));
        double after = LargestMeanError(Quantize(correct: true, out var outcome));

        Assert.Equal(2, outcome!.Corrected);
        Assert.True(outcome.LargestShift > 0);
        Assert.True(before > 0.05, $"the test needs a visible shift to correct; uncorrected mean error {before:G3}");
        Assert.True(after < before / 4, $"mean error {before:G3} uncorrected, {after:G3} corrected");
    }

    [Fact]
    public void A_conv_without_bias_gets_one_and_the_corrected_model_stays_valid_int8()
    {
        ModelProto model = Quantize(correct: true, out _);

        NodeProto conv = model.Graph.Node.Single(n => n.OpType == "Conv");
        Assert.Equal(3, conv.Input.Count);
        Assert.Contains(model.Graph.Initializer, t => t.Name == "conv.weight_bias_q" && t.DataType == (int)TensorProto.Types.DataType.Int32);
        string path = Path.Combine(Path.GetTempPath(), $"compression-bias-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        try
        {
            Onnx.Tests.OnnxChecker.AssertValid(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

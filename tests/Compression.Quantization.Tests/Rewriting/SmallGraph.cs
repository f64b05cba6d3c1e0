using Compression.Onnx;
using Compression.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Quantization.Tests.Rewriting;

/// <summary>
/// A small graph with every op the quantizers handle: Conv→Relu→MaxPool→Flatten, then a Gemm→Relu
/// and a MatMul side by side, joined by an Add and a last Gemm. Weights are random but fixed.
/// </summary>
internal static class SmallGraph
{
    public const int Channels = 2, Side = 4, Classes = 3;

    public static ModelProto Build()
    {
        var random = new Random(5);
        float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var builder = new OnnxGraphBuilder("small");
        builder.AddInput("x", [null, Channels, Side, Side]);
        string convWeight = builder.AddInitializer("conv.weight", [4, Channels, 3, 3], Random(4 * Channels * 9));
        string convBias = builder.AddInitializer("conv.bias", [4], Random(4));
        builder.AddNode("Conv", ["x", convWeight, convBias], ["conv"], "Conv").Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1);
        builder.AddNode("Relu", ["conv"], ["conv_relu"], "ConvRelu");
        builder.AddNode("MaxPool", ["conv_relu"], ["pool"], "MaxPool").Ints("kernel_shape", 2, 2).Ints("strides", 2, 2);
        builder.AddNode("Flatten", ["pool"], ["flat"], "Flatten");
        string gemmWeight = builder.AddInitializer("gemm.weight", [8, 16], Random(8 * 16));
        string gemmBias = builder.AddInitializer("gemm.bias", [8], Random(8));
        builder.AddNode("Gemm", ["flat", gemmWeight, gemmBias], ["gemm"], "Gemm").Int("transB", 1);
        builder.AddNode("Relu", ["gemm"], ["gemm_relu"], "GemmRelu");
        string matMulWeight = builder.AddInitializer("matmul.weight", [16, 8], Random(16 * 8));
        builder.AddNode("MatMul", ["flat", matMulWeight], ["matmul"], "MatMul");
        builder.AddNode("Add", ["gemm_relu", "matmul"], ["sum"], "Add");
        string lastWeight = builder.AddInitializer("last.weight", [Classes, 8], Random(Classes * 8));
        string lastBias = builder.AddInitializer("last.bias", [Classes], Random(Classes));
        builder.AddNode("Gemm", ["sum", lastWeight, lastBias], ["logits"], "Last").Int("transB", 1);
        builder.AddOutput("logits", [null, Classes]);
        return builder.Build("tests");
    }

    /// <summary>Batches of uniform [0, 1) inputs.</summary>
    public static IEnumerable<(float[] Batch, int Count)> Batches(int batches, int batchSize, int seed)
    {
        var random = new Random(seed);
        for (int b = 0; b < batches; b++)
        {
            yield return (Enumerable.Range(0, batchSize * Channels * Side * Side).Select(_ => (float)random.NextDouble()).ToArray(), batchSize);
        }
    }

    public static float[] Run(ModelProto model, float[] batch, int count)
    {
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [count, Channels, Side, Side]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Largest difference between the two models' logits, relative to the largest float logit.</summary>
    public static double RelativeError(ModelProto fp32, ModelProto int8)
    {
        var (batch, count) = Batches(1, 32, seed: 99).Single();
        float[] expected = Run(fp32, batch, count), actual = Run(int8, batch, count);
        double scale = expected.Max(Math.Abs);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
    }

    /// <summary>The quantized model passes onnx.checker and its logits stay within a share of the float model's largest.</summary>
    public static void AssertValidAndClose(ModelProto quantized, double maxRelativeError)
    {
        string path = Path.Combine(Path.GetTempPath(), $"compression-quantization-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(quantized, path);
        try
        {
            Onnx.Tests.OnnxChecker.AssertValid(path);
            double error = RelativeError(Build(), quantized);
            Assert.True(error < maxRelativeError, $"int8 logits differ from float by {error:P1} of the largest logit");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

/// <summary>Small hand-built models whose outputs can be computed by hand.</summary>
public static class TinyModels
{
    /// <summary>Hand-computed <see cref="GemmRelu"/> for x = [[1, 2], [-3, 0.5]].</summary>
    public static readonly float[] GemmReluInput = [1f, 2f, -3f, 0.5f];

    // Row 1: [1-2, 2-1, 2+0.5] -> relu [0, 1, 2.5]; row 2: [-3-0.5, -6-1, 0.5+0.5] -> relu [0, 0, 1].
    public static readonly float[] GemmReluOutput = [0f, 1f, 2.5f, 0f, 0f, 1f];

    /// <summary>y = relu(x W^T + b), x: [batch, 2], W = [[1, -1], [2, 0], [0, 1]], b = [0, -1, 0.5].</summary>
    public static ModelProto GemmRelu()
    {
        var builder = new OnnxGraphBuilder("tiny");
        builder.AddInput("input", [null, 2]);
        string w = builder.AddInitializer("w", [3, 2], [1f, -1f, 2f, 0f, 0f, 1f]);
        string b = builder.AddInitializer("b", [3], [0f, -1f, 0.5f]);
        string hidden = builder.UniqueName("hidden");
        builder.AddNode("Gemm", ["input", w, b], [hidden]).Int("transB", 1);
        builder.AddNode("Relu", [hidden], ["logits"]);
        builder.AddOutput("logits", [null, 3]);
        return builder.Build("compression-tests");
    }

    /// <summary>
    /// A quantized, calibrated classifier as the pipeline ships one: the float input goes through
    /// QuantizeLinear/DequantizeLinear (uint8, scale 0.05), then <see cref="GemmRelu"/>'s Gemm, then a Div by
    /// the temperature 2. Inputs a rounding apart can land in different buckets and give visibly different logits.
    /// </summary>
    public static ModelProto QuantizedCalibratedGemm()
    {
        var builder = new OnnxGraphBuilder("tiny-qdq");
        builder.AddInput("input", [null, 2]);
        string scale = builder.AddInitializer("input_quant_scale", [], [0.05f]);
        string quantized = builder.UniqueName("input_quantized");
        builder.AddNode("QuantizeLinear", ["input", scale], [quantized]);
        string dequantized = builder.UniqueName("input_dequantized");
        builder.AddNode("DequantizeLinear", [quantized, scale], [dequantized]);
        string w = builder.AddInitializer("w", [3, 2], [1f, -1f, 2f, 0f, 0f, 1f]);
        string b = builder.AddInitializer("b", [3], [0f, -1f, 0.5f]);
        string uncalibrated = builder.UniqueName("logits_uncalibrated");
        builder.AddNode("Gemm", [dequantized, w, b], [uncalibrated]).Int("transB", 1);
        string temperature = builder.AddInitializer("calibration_temperature", [1], [2f]);
        builder.AddNode("Div", [uncalibrated, temperature], ["logits"]);
        builder.AddOutput("logits", [null, 3]);
        return builder.Build("compression-tests");
    }

    /// <summary>Writes <paramref name="model"/> to a new temp file and returns its path.</summary>
    public static string WriteTemp(ModelProto model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"compression-onnx-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }
}

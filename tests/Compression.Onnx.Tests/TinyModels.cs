using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

/// <summary>Small hand-built models with outputs that can be computed by hand.</summary>
public static class TinyModels
{
    /// <summary>y = relu(x W^T + b), x: [batch, 2], W = [[1, -1], [2, 0], [0, 1]], b = [0, -1, 0.5].</summary>
    public static ModelProto GemmRelu()
    {
        var builder = new OnnxGraphBuilder("tiny");
        builder.AddInput("input", [null, 2]);
        string w = builder.AddInitializer("w", [3, 2], [1f, -1f, 2f, 0f, 0f, 1f]);
        string b = builder.AddInitializer("b", [3], [0f, -1f, 0.5f]);
        builder.AddNode("Gemm", ["input", w, b], ["hidden"]).Int("transB", 1);
        builder.AddNode("Relu", ["hidden"], ["logits"]);
        builder.AddOutput("logits", [null, 3]);
        return builder.Build("compression-tests");
    }
}

using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Tests.Gate;

/// <summary>Seeded MLPs written as ONNX files, whose compute grows with the hidden width: models to time.</summary>
internal static class MlpModels
{
    /// <summary>input [batch, 256] -> Gemm to <paramref name="hidden"/> -> Relu -> Gemm to 10 logits.</summary>
    public static string Write(string path, int hidden, int seed = 1, string producer = "compression-tests")
    {
        var random = new Random(seed);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f)];
        var builder = new OnnxGraphBuilder("mlp");
        builder.AddInput("input", [null, 256]);
        string w1 = builder.AddInitializer("w1", [hidden, 256], Values(hidden * 256));
        string b1 = builder.AddInitializer("b1", [hidden], Values(hidden));
        string w2 = builder.AddInitializer("w2", [10, hidden], Values(10 * hidden));
        string b2 = builder.AddInitializer("b2", [10], Values(10));
        string h = builder.UniqueName("h");
        string r = builder.UniqueName("r");
        builder.AddNode("Gemm", ["input", w1, b1], [h]).Int("transB", 1);
        builder.AddNode("Relu", [h], [r]);
        builder.AddNode("Gemm", [r, w2, b2], ["logits"]).Int("transB", 1);
        builder.AddOutput("logits", [null, 10]);
        ModelProto model = builder.Build(producer);
        OnnxModelFile.Write(model, path);
        return path;
    }
}

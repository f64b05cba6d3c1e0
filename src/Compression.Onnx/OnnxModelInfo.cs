using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>Facts about a model read from its file, not from a runtime.</summary>
public static class OnnxModelInfo
{
    /// <summary>Number of parameters: elements of every initializer (weights, biases, statistics).</summary>
    public static long CountParameters(ModelProto model) =>
        model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));

    /// <summary>Number of parameters of a model file.</summary>
    public static long CountParameters(string path) => CountParameters(OnnxModelFile.Read(path));
}

using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>
/// Multiply-adds of one sample through an ONNX graph: Conv, ConvInteger, Gemm, MatMul and
/// MatMulInteger, the operators that hold nearly all of a CNN's or MLP's arithmetic (the same count
/// papers call FLOPs). Shapes are propagated from the graph's input (batch dimension 1) by
/// <see cref="OnnxShapes"/>, through the operators our exporter, quantizer and calibrator write and
/// the common elementwise ones; a graph with any other operator is not guessed at: the count is null.
/// A batched MatMul (a transformer's attention scores and context) counts every batch of its product.
/// A token-sequence model is counted at the length its metadata declares (the spec's; see
/// <see cref="OnnxShapes.DimensionKeyPrefix"/>); without it, an input dimension other than the batch
/// that is symbolic leaves the count null.
/// Written by hand because ONNX Runtime does not expose intermediate shapes and no NuGet package here
/// infers them.
/// </summary>
public static class OnnxFlops
{
    /// <summary>Multiply-adds per sample of the model in <paramref name="path"/>, or null when an operator is not understood.</summary>
    public static long? Count(string path) => Count(OnnxModelFile.Read(path));

    /// <summary>Multiply-adds per sample of <paramref name="model"/>, or null when an operator is not understood.</summary>
    public static long? Count(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ShapeWalk walk = OnnxShapes.Walk(model);
        return walk.Complete ? walk.MultiplyAdds : null;
    }
}

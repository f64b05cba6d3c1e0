using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>Runs one node: returns one tensor per output the node declares (null for an output it does not compute).</summary>
internal delegate Tensor?[] OnnxKernel(OnnxNodeContext context);

/// <summary>
/// One supported ONNX op: its kernel and which of its inputs are weights (a float initializer there
/// becomes a trainable parameter of the imported module; elsewhere it stays a constant).
/// </summary>
internal sealed record OnnxOperator(string OpType, OnnxKernel Run, params int[] WeightInputs)
{
    /// <summary>
    /// Checks, when the graph is imported, what the kernel would refuse at run time (variants it does
    /// not implement), so an unsupported graph fails before anything runs. Null: nothing to check.
    /// </summary>
    public Action<Compression.Onnx.Proto.NodeProto, long>? Validate { get; init; }
}

namespace Compression.Models.Import;

/// <summary>
/// A node whose operator (or operator variant, such as MaxPool's indices output) the importer does
/// not implement. Thrown when the graph is imported, before anything runs, naming the op type and
/// the node; the supported set is the table in <see cref="OnnxGraphModule"/>'s documentation.
/// </summary>
public sealed class UnsupportedOnnxOperatorException : OnnxImportException
{
    /// <summary>Creates the exception for node <paramref name="nodeName"/> of type <paramref name="opType"/>.</summary>
    /// <param name="opType">The node's op type, with its domain when that is not the default one.</param>
    /// <param name="nodeName">The node's name (may be empty in a graph that does not name its nodes).</param>
    /// <param name="detail">What exactly is unsupported, when it is a variant of a supported op; null for an unknown op.</param>
    public UnsupportedOnnxOperatorException(string opType, string nodeName, string? detail = null)
        : base(detail is null
            ? $"ONNX operator '{opType}' (node '{nodeName}') is not supported by the importer"
            : $"ONNX operator '{opType}' (node '{nodeName}'): {detail} is not supported by the importer")
    {
        OpType = opType;
        NodeName = nodeName;
    }

    /// <summary>The op type of the node at fault.</summary>
    public string OpType { get; }

    /// <summary>The name of the node at fault.</summary>
    public string NodeName { get; }
}

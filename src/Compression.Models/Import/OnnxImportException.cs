namespace Compression.Models.Import;

/// <summary>
/// An ONNX graph that <see cref="OnnxGraphModule"/> cannot run: a tensor of a type it does not
/// handle, data in an external file, a node wired to a tensor nothing produces, a cycle. The message
/// names the node or tensor at fault, so a host can report it as bad input (exit 2).
/// </summary>
public class OnnxImportException : Exception
{
    /// <summary>Creates the exception with a message naming what is at fault.</summary>
    public OnnxImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming what is at fault and its cause.</summary>
    public OnnxImportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

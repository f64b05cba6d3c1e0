namespace Compression.Onnx;

/// <summary>
/// A file that is not a usable ONNX model (unreadable, not protobuf, not a model, or refused by ONNX
/// Runtime). One type for all of these so a caller can turn it into a user-facing error that names
/// the file, instead of leaking protobuf or runtime exceptions.
/// </summary>
public sealed class OnnxFormatException(string filePath, string message, Exception? innerException = null)
    : Exception($"{filePath}: {message}", innerException)
{
    /// <summary>The file at fault, as the caller gave it.</summary>
    public string FilePath { get; } = filePath;
}

namespace Compression.Onnx;

/// <summary>A file that is not a usable ONNX model; the message names the file and the problem.</summary>
public sealed class OnnxFormatException(string filePath, string message, Exception? innerException = null)
    : Exception($"{filePath}: {message}", innerException)
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = filePath;
}

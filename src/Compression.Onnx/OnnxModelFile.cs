using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Reads and writes ONNX model files. Reads turn every kind of bad file into one
/// <see cref="OnnxFormatException"/> naming the file; writes are atomic (temp file in the same folder,
/// then a rename), so a reader or a crashed build never sees half a model.
/// </summary>
public static class OnnxModelFile
{
    /// <summary>Parses a model file.</summary>
    /// <exception cref="OnnxFormatException">The file cannot be read, is not protobuf, or is not a model.</exception>
    public static ModelProto Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new OnnxFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxFormatException(path, $"is not an ONNX model (protobuf error: {ex.Message})", ex);
        }
        if (model.IrVersion <= 0 || model.Graph is null)
        {
            throw new OnnxFormatException(path, $"is not an ONNX model: expected an ir_version and a graph, found ir_version {model.IrVersion} and {(model.Graph is null ? "no graph" : "a graph")}");
        }
        return model;
    }

    /// <summary>Writes a model atomically, replacing any existing file; creates the folder if needed.</summary>
    public static void Write(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

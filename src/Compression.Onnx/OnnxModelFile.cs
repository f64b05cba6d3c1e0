using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>Reads and writes ONNX model files; writes are atomic (temp file, then rename).</summary>
public static class OnnxModelFile
{
    /// <summary>Parses a model file; anything that is not an ONNX model is an <see cref="OnnxFormatException"/>.</summary>
    public static ModelProto Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
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
        if (model.Graph is null || model.IrVersion <= 0)
        {
            throw new OnnxFormatException(path, "is not an ONNX model: it has no graph or no IR version");
        }
        return model;
    }

    /// <summary>Writes a model so that a reader never sees half a file.</summary>
    public static void Write(ModelProto model, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temp))
            {
                model.WriteTo(stream);
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

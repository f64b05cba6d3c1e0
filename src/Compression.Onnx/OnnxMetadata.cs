using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// A model file's <c>metadata_props</c> (ModelProto field 14), read by scanning the file's top-level
/// fields and skipping the rest, so a teacher of any size is read in a few kilobytes of memory.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>The model's metadata, key to value (a key given twice keeps its last value, as a protobuf map would).</summary>
    /// <exception cref="OnnxFormatException">The file cannot be read, is not protobuf, or has no graph (empty, or cut short at a field boundary).</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        bool hasGraph = false;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
            using var input = new CodedInputStream(file);
            uint metadataTag = WireFormat.MakeTag(ModelProto.MetadataPropsFieldNumber, WireFormat.WireType.LengthDelimited);
            uint graphTag = WireFormat.MakeTag(ModelProto.GraphFieldNumber, WireFormat.WireType.LengthDelimited);
            for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                hasGraph |= tag == graphTag;
                if (tag != metadataTag)
                {
                    input.SkipLastField();
                    continue;
                }
                // An entry's declared length is read no further than the file goes, so memory stays
                // within the file's size (which preflight has compared with the memory budget).
                var entry = new StringStringEntryProto();
                input.ReadMessage(entry);
                properties[entry.Key] = entry.Value;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            throw new OnnxFormatException(path, $"is not an ONNX model (protobuf error: {ex.Message})", ex);
        }
        // Every ModelProto has a graph; an empty file or one cut at a field boundary parses as protobuf
        // without one, and must not pass for a model that merely lacks metadata.
        if (!hasGraph)
        {
            throw new OnnxFormatException(path, "is not an ONNX model (no graph: the file is empty, truncated or something else)");
        }
        return properties;
    }
}

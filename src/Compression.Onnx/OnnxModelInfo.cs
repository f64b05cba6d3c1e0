using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>Facts about a model read from the file itself, without loading a runtime.</summary>
public static class OnnxModelInfo
{
    /// <summary>
    /// Model-size figure used in reports: elements of every weight-like initializer, floating point
    /// (weights, biases, normalisation statistics) or quantized (int8/uint8/int4/uint4/int16/int32
    /// weights and biases), so a model has the same count before and after quantization. Not
    /// counted: INT64 initializers (Reshape shapes, axes, indices: graph constants) and quantization
    /// parameters, i.e. the scales and zero points of (De)QuantizeLinear and the weight scales that
    /// dynamic quantization multiplies with DynamicQuantizeLinear's run-time scale.
    /// </summary>
    public static long CountParameters(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is null)
        {
            return 0;
        }
        var quantizationParameters = QuantizationParameters(model.Graph);
        long total = 0;
        foreach (TensorProto tensor in model.Graph.Initializer)
        {
            if (IsParameter(tensor.DataType) && !quantizationParameters.Contains(tensor.Name))
            {
                total += ElementCount(tensor);
            }
        }
        return total;
    }

    private static HashSet<string> QuantizationParameters(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var dynamicScales = graph.Node.Where(n => n.OpType == "DynamicQuantizeLinear" && n.Output.Count > 1).Select(n => n.Output[1]).ToHashSet(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType is "QuantizeLinear" or "DequantizeLinear")
            {
                names.UnionWith(node.Input.Skip(1));
            }
            else if (node.OpType == "Mul" && node.Input.Any(dynamicScales.Contains))
            {
                names.UnionWith(node.Input);
            }
        }
        return names;
    }

    /// <summary>Parameters of a model file (see <see cref="CountParameters(ModelProto)"/>).</summary>
    /// <exception cref="OnnxFormatException">The file is not an ONNX model.</exception>
    public static long CountParameters(string path) => CountParameters(OnnxModelFile.Read(path));

    /// <summary>
    /// Bytes of every initializer of the main graph as its dimensions and type declare them (what a
    /// runtime allocates), whatever the file holds: a model that declares a huge tensor is caught before
    /// it is loaded. The file is scanned, not parsed: only each initializer's dims and data type are
    /// read and its data is skipped, so a model of any size is measured in a few kilobytes of memory.
    /// </summary>
    /// <exception cref="OnnxFormatException">The file cannot be read or is not protobuf.</exception>
    public static double DeclaredInitializerBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            using var input = new CodedInputStream(file);
            double total = 0;
            for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                if (tag == WireFormat.MakeTag(ModelProto.GraphFieldNumber, WireFormat.WireType.LengthDelimited))
                {
                    long end = EndOfField(input);
                    while (NextTag(input, end, path) is uint graphTag)
                    {
                        if (graphTag == WireFormat.MakeTag(GraphProto.InitializerFieldNumber, WireFormat.WireType.LengthDelimited))
                        {
                            total += DeclaredTensorBytes(input, EndOfField(input), path);
                        }
                        else
                        {
                            input.SkipLastField();
                        }
                    }
                }
                else
                {
                    input.SkipLastField();
                }
            }
            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            throw new OnnxFormatException(path, $"is not an ONNX model (protobuf error: {ex.Message})", ex);
        }
    }

    /// <summary>One TensorProto's dims (packed or not) times its element size; its data is skipped.</summary>
    private static double DeclaredTensorBytes(CodedInputStream input, long end, string path)
    {
        double elements = 1;
        int dataType = 0;
        while (NextTag(input, end, path) is uint tag)
        {
            if (tag == WireFormat.MakeTag(TensorProto.DimsFieldNumber, WireFormat.WireType.Varint))
            {
                elements *= Math.Max(input.ReadInt64(), 0);
            }
            else if (tag == WireFormat.MakeTag(TensorProto.DimsFieldNumber, WireFormat.WireType.LengthDelimited))
            {
                long dimsEnd = EndOfField(input);
                while (input.Position < dimsEnd)
                {
                    elements *= Math.Max(input.ReadInt64(), 0);
                }
            }
            else if (tag == WireFormat.MakeTag(TensorProto.DataTypeFieldNumber, WireFormat.WireType.Varint))
            {
                dataType = input.ReadInt32();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return elements * ElementBytes((TensorProto.Types.DataType)dataType);
    }

    private static long EndOfField(CodedInputStream input)
    {
        int length = input.ReadLength();
        return input.Position + length;
    }

    /// <summary>The next tag of a nested message ending at <paramref name="end"/>, or null at its end.</summary>
    private static uint? NextTag(CodedInputStream input, long end, string path)
    {
        if (input.Position == end)
        {
            return null;
        }
        uint tag = input.Position < end ? input.ReadTag() : 0;
        return tag != 0 ? tag : throw new OnnxFormatException(path, "is not an ONNX model: a nested message overruns its declared length");
    }

    private static double ElementBytes(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 or TensorProto.Types.DataType.Complex64 => 8,
        TensorProto.Types.DataType.Complex128 => 16,
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16 or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 2,
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Int4 or TensorProto.Types.DataType.Uint4 => 0.5,
        _ => 4,
    };

    /// <summary>
    /// The files a model keeps initializers in outside itself (ONNX external data: data_location
    /// EXTERNAL, a "location" relative to the model's folder), as absolute paths, each once. They are
    /// part of the model: hashing or watching the .onnx file alone misses a change to them.
    /// </summary>
    public static IReadOnlyList<string> ExternalDataFiles(ModelProto model, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        string folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var files = new List<string>();
        foreach (TensorProto tensor in model.Graph?.Initializer ?? [])
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }
            string? location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
            if (!string.IsNullOrEmpty(location))
            {
                string full = Path.GetFullPath(Path.Combine(folder, location));
                if (!files.Contains(full, StringComparer.Ordinal))
                {
                    files.Add(full);
                }
            }
        }
        return files;
    }

    private static bool IsParameter(int dataType) => (TensorProto.Types.DataType)dataType is
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Float16 or
        TensorProto.Types.DataType.Bfloat16 or TensorProto.Types.DataType.Double or
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or
        TensorProto.Types.DataType.Int4 or TensorProto.Types.DataType.Uint4 or
        TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Int32;

    private static long ElementCount(TensorProto tensor)
    {
        long count = 1;
        foreach (long dim in tensor.Dims)
        {
            count *= dim;
        }
        return count;
    }
}

using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;
using static TorchSharp.torch;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.Import;

/// <summary>
/// Converts between ONNX <see cref="TensorProto"/>s (initializers, Constant values, the backend tests'
/// .pb files) and TorchSharp tensors: float, double, 8/16/32/64-bit integers, uint8 and bool, from
/// raw little-endian bytes or the typed fields. Data in external files is refused.
/// </summary>
public static class OnnxTensors
{
    /// <summary>The TorchSharp element type of an ONNX data type (the <c>TensorProto.data_type</c> / Cast <c>to</c> codes).</summary>
    /// <exception cref="OnnxImportException">A type the importer does not handle (strings, float16, unsigned 16-64 bit, complex).</exception>
    internal static ScalarType ScalarTypeOf(long onnxDataType, string where) => (DataType)onnxDataType switch
    {
        DataType.Float => ScalarType.Float32,
        DataType.Double => ScalarType.Float64,
        DataType.Int64 => ScalarType.Int64,
        DataType.Int32 => ScalarType.Int32,
        DataType.Int16 => ScalarType.Int16,
        DataType.Int8 => ScalarType.Int8,
        DataType.Uint8 => ScalarType.Byte,
        DataType.Bool => ScalarType.Bool,
        _ => throw new OnnxImportException($"{where}: ONNX data type {(DataType)onnxDataType} ({onnxDataType}) is not supported; expected float, double, int8/16/32/64, uint8 or bool"),
    };

    /// <summary>A new tensor holding <paramref name="proto"/>'s values, with its dims.</summary>
    /// <exception cref="OnnxImportException">External data, an unsupported type, or a value count that does not match the dims.</exception>
    public static Tensor ToTensor(TensorProto proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        string where = $"tensor '{proto.Name}'";
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
        {
            throw new OnnxImportException($"{where} keeps its data in an external file; the importer reads only tensors stored in the model");
        }
        long[] dims = [.. proto.Dims];
        long count = dims.Aggregate(1L, (a, b) => a * b);
        bool raw = !proto.RawData.IsEmpty;
        ReadOnlySpan<byte> bytes = proto.RawData.Span;
        ScalarType type = ScalarTypeOf(proto.DataType, where);
        Tensor result = type switch
        {
            ScalarType.Float32 => tensor(Values(raw ? MemoryMarshal.Cast<byte, float>(bytes).ToArray() : [.. proto.FloatData], count, where), dims),
            ScalarType.Float64 => tensor(Values(raw ? MemoryMarshal.Cast<byte, double>(bytes).ToArray() : [.. proto.DoubleData], count, where), dims),
            ScalarType.Int64 => tensor(Values(raw ? MemoryMarshal.Cast<byte, long>(bytes).ToArray() : [.. proto.Int64Data], count, where), dims),
            ScalarType.Int32 => tensor(Values(raw ? MemoryMarshal.Cast<byte, int>(bytes).ToArray() : [.. proto.Int32Data], count, where), dims),
            ScalarType.Int16 => tensor(Values(raw ? MemoryMarshal.Cast<byte, short>(bytes).ToArray() : proto.Int32Data.Select(v => (short)v).ToArray(), count, where), dims),
            ScalarType.Int8 => tensor(Values(raw ? MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray() : proto.Int32Data.Select(v => (sbyte)v).ToArray(), count, where), dims),
            ScalarType.Byte => tensor(Values(raw ? bytes.ToArray() : proto.Int32Data.Select(v => (byte)v).ToArray(), count, where), dims),
            _ => tensor(Values(raw ? bytes.ToArray().Select(b => b != 0).ToArray() : proto.Int32Data.Select(v => v != 0).ToArray(), count, where), dims),
        };
        return result;
    }

    /// <summary>A float tensor's values as an ONNX FLOAT TensorProto named <paramref name="name"/>, stored as raw little-endian bytes.</summary>
    public static TensorProto FloatProto(Tensor value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        using Tensor contiguous = value.detach().to(ScalarType.Float32).contiguous();
        float[] values = contiguous.numel() == 0 ? [] : contiguous.data<float>().ToArray();
        var proto = new TensorProto
        {
            Name = name,
            DataType = (int)DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        proto.Dims.AddRange(value.shape);
        return proto;
    }

    /// <summary>The values of a (small, integer) tensor such as a shape or axes input, as longs.</summary>
    internal static long[] Longs(Tensor value)
    {
        using Tensor longs = value.detach().to(ScalarType.Int64).contiguous();
        return longs.numel() == 0 ? [] : longs.data<long>().ToArray();
    }

    private static T[] Values<T>(T[] values, long count, string where)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not");
        }
        if (values.LongLength != count)
        {
            throw new OnnxImportException($"{where}: its dims hold {count} values but it has {values.LongLength}");
        }
        return values;
    }
}

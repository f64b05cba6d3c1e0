using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.GraphPruning;

/// <summary>Reads and writes the values of float initializers (raw little-endian bytes or float_data).</summary>
internal static class FloatInitializers
{
    public static float[] Values(TensorProto tensor)
    {
        if (tensor.DataType != (int)DataType.Float)
        {
            throw new ArgumentException($"initializer '{tensor.Name}' is not float", nameof(tensor));
        }
        float[] values = tensor.RawData.IsEmpty ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        long count = tensor.Dims.Aggregate(1L, (p, d) => p * d);
        if (values.LongLength != count)
        {
            throw new ArgumentException($"initializer '{tensor.Name}' declares {count} values and holds {values.LongLength}", nameof(tensor));
        }
        return values;
    }

    public static void Set(TensorProto tensor, float[] values, long[] dims)
    {
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims);
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>The elements of a row-major tensor of <paramref name="dims"/> whose index along each axis is in <paramref name="kept"/>[axis].</summary>
    public static float[] Slice(float[] values, long[] dims, int[][] kept)
    {
        if (dims.Length == 0)
        {
            return [.. values];
        }
        long[] strides = new long[dims.Length];
        long stride = 1;
        for (int axis = dims.Length - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride *= dims[axis];
        }
        var result = new float[kept.Aggregate(1L, (p, k) => p * k.Length)];
        long written = 0;
        void Copy(int axis, long offset)
        {
            if (axis == dims.Length - 1)
            {
                foreach (int index in kept[axis])
                {
                    result[written++] = values[offset + index];
                }
                return;
            }
            foreach (int index in kept[axis])
            {
                Copy(axis + 1, offset + (index * strides[axis]));
            }
        }
        Copy(0, 0);
        return result;
    }
}

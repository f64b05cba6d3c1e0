using System.Buffers.Binary;

namespace Compression.Data.Idx;

/// <summary>
/// Reads IDX files, the format of MNIST and its relatives (a big-endian header: two zero bytes, a
/// type byte, a dimension count, then the dimension sizes and the data). Files may be gzip-compressed;
/// that is detected from the content, since downloads are often renamed. The header is read first,
/// then only the data it declares, so memory follows the header and the file, never a hostile stream
/// (a gzip bomb is not inflated past the declared size). Every problem with a file becomes a
/// <see cref="DataFormatException"/> naming it and saying what was expected.
/// </summary>
public static class IdxReader
{
    private const string ExpectedFeatures = "IDX magic 0x00000803 (unsigned-byte images) or another IDX type with 2 or more dimensions";
    private const string ExpectedLabels = "IDX magic 0x00000801 (unsigned-byte labels) or signed-byte/16-bit/32-bit integer labels in 1 dimension";

    /// <summary>
    /// Reads a features file: 3-D files ([count, rows, cols]) become channel-first grey images of
    /// shape [1, rows, cols]; other ranks keep the dimensions after the first as the sample shape.
    /// Values are returned as stored (bytes as 0..255): normalisation is the loader's job.
    /// </summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <exception cref="DataFormatException">The file is not an IDX features file, or is truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxFeatures ReadFeatures(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (IdxHeader header, byte[] bytes) = IdxFile.Read(path, ExpectedFeatures, static (_, rank) => rank >= 2, wantsLabels: false);
        int[] dimensions = header.Dimensions;
        int[] sampleShape = dimensions.Length == 3 ? [1, dimensions[1], dimensions[2]] : dimensions[1..];
        float[] values = ToFloats(header, bytes);
        return new IdxFeatures(values, sampleShape, dimensions[0], header.DataType);
    }

    /// <summary>Reads a labels file: one dimension of integers (any IDX integer type), each at least 0.</summary>
    /// <param name="path">The file, raw or gzip.</param>
    /// <exception cref="DataFormatException">The file is not an IDX labels file, is truncated, or holds a negative label.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static int[] ReadLabels(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (IdxHeader header, byte[] bytes) = IdxFile.Read(path, ExpectedLabels, static (type, rank) => rank == 1 && IsInteger(type), wantsLabels: true);
        int[] labels = ToInts(header, bytes);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new DataFormatException(path, $"{Path.GetFileName(path)}: expected class labels of 0 or more, found {labels[i]} at label {i}.");
            }
        }
        return labels;
    }

    private static bool IsInteger(IdxDataType type) =>
        type is IdxDataType.UnsignedByte or IdxDataType.SignedByte or IdxDataType.Short or IdxDataType.Int;

    private static float[] ToFloats(IdxHeader header, byte[] bytes)
    {
        var values = new float[header.ElementCount];
        ReadOnlySpan<byte> data = bytes.AsSpan(header.DataOffset);
        switch (header.DataType)
        {
            case IdxDataType.UnsignedByte:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = data[i];
                }
                break;
            case IdxDataType.SignedByte:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (sbyte)data[i];
                }
                break;
            case IdxDataType.Short:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]);
                }
                break;
            case IdxDataType.Int:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]);
                }
                break;
            case IdxDataType.Float:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]);
                }
                break;
            case IdxDataType.Double:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]);
                }
                break;
            default:
                throw new InvalidOperationException($"Unhandled IDX type {header.DataType}.");
        }
        return values;
    }

    private static int[] ToInts(IdxHeader header, byte[] bytes)
    {
        var values = new int[header.ElementCount];
        ReadOnlySpan<byte> data = bytes.AsSpan(header.DataOffset);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = header.DataType switch
            {
                IdxDataType.UnsignedByte => data[i],
                IdxDataType.SignedByte => (sbyte)data[i],
                IdxDataType.Short => BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]),
                IdxDataType.Int => BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]),
                _ => throw new InvalidOperationException($"IDX type {header.DataType} is not an integer type."),
            };
        }
        return values;
    }
}

using System.Buffers.Binary;
using System.Globalization;

namespace Compression.Data.Idx;

/// <summary>The parsed header of an IDX file: element type, dimensions, where the data starts.</summary>
internal sealed class IdxHeader
{
    private IdxHeader(IdxDataType dataType, int[] dimensions, int dataOffset, long elementCount)
    {
        DataType = dataType;
        Dimensions = dimensions;
        DataOffset = dataOffset;
        ElementCount = elementCount;
    }

    public IdxDataType DataType { get; }

    public int[] Dimensions { get; }

    public int DataOffset { get; }

    public long ElementCount { get; }

    public int ElementSize => SizeOf(DataType);

    /// <summary>The bytes of data the header declares after itself: element count times element size.</summary>
    public long DataLength => ElementCount * ElementSize;

    /// <summary>The most bytes a header can take: 4, plus 4 per dimension for at most 255 dimensions.</summary>
    public const int MaxHeaderBytes = 4 + (4 * 255);

    /// <summary>
    /// Parses the header from the start of a file (<paramref name="bytes"/> may be just its first
    /// <see cref="MaxHeaderBytes"/> bytes, or fewer when the file is shorter), checking it against what
    /// the caller expects, and refusing dimensions whose product exceeds what one array can hold before
    /// anything is allocated for them. <paramref name="expected"/> describes the file the caller wanted,
    /// e.g. "IDX magic 0x00000803 (unsigned-byte images)"; <paramref name="wantsLabels"/> says whether
    /// the caller reads labels (for hints and wording). The data's length is checked by
    /// <see cref="CheckDataLength"/>.
    /// </summary>
    public static IdxHeader Parse(string path, ReadOnlySpan<byte> bytes, string expected, Func<IdxDataType, int, bool> accepts, bool wantsLabels)
    {
        string name = Path.GetFileName(path);
        if (bytes.Length < 4)
        {
            throw new DataFormatException(path, $"{name}: expected {expected}, but the file has only {bytes.Length} byte(s) (truncated or empty).");
        }
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        byte typeCode = bytes[2];
        int rank = bytes[3];
        bool isIdx = bytes[0] == 0 && bytes[1] == 0 && Enum.IsDefined((IdxDataType)typeCode) && rank > 0;
        if (!isIdx || !accepts((IdxDataType)typeCode, rank))
        {
            string hint = !isIdx ? string.Empty
                : rank == 1 && !wantsLabels ? ": this looks like a labels file"
                : rank > 1 && wantsLabels ? ": this looks like a features (images) file"
                : string.Empty;
            throw new DataFormatException(path, $"{name}: expected {expected}, found 0x{magic:X8} ({Describe(bytes)}{hint}).");
        }
        var dataType = (IdxDataType)typeCode;
        int headerSize = 4 + (4 * rank);
        if (bytes.Length < headerSize)
        {
            throw new DataFormatException(path, $"{name}: truncated: the IDX header of {rank} dimension(s) needs {headerSize} bytes, file has {bytes.Length}.");
        }
        var dimensions = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++)
        {
            uint dimension = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + (4 * i))..]);
            if (dimension > int.MaxValue || (i > 0 && dimension == 0))
            {
                throw new DataFormatException(path, $"{name}: dimension {i} of the IDX header is {dimension}; expected a size between {(i == 0 ? 0 : 1)} and {int.MaxValue}.");
            }
            dimensions[i] = (int)dimension;
            elements *= dimension;
            if (elements > Array.MaxLength)
            {
                throw new DataFormatException(path, FormattableString.Invariant($"{name}: the IDX header declares {FormatShape(dimensions.AsSpan(0, i + 1))} values, more than fit in memory ({Array.MaxLength:N0})."));
            }
        }
        var header = new IdxHeader(dataType, dimensions, headerSize, elements);
        if (headerSize + header.DataLength > SourceFile.MaxBytes)
        {
            throw new DataFormatException(path, string.Create(CultureInfo.InvariantCulture,
                $"{name}: the IDX header declares {header.Describe(wantsLabels)}: {header.DataLength:N0} bytes of {Describe(dataType)} data, more than the {SourceFile.MaxBytes:N0} a data file can have here."));
        }
        return header;
    }

    /// <summary>
    /// Throws unless the file has exactly the data its header declares. <paramref name="have"/> is the
    /// number of bytes after the header; with <paramref name="atLeast"/> the file has more than that
    /// (counting stopped there), and <paramref name="decompressed"/> says the count is of gzip's output.
    /// </summary>
    public void CheckDataLength(string path, long have, bool wantsLabels, bool atLeast = false, bool decompressed = false)
    {
        long need = DataLength;
        if (have == need && !atLeast)
        {
            return;
        }
        string problem = have < need ? "truncated" : "longer than its header says";
        string has = FormattableString.Invariant($"{(atLeast ? "more than " : "")}{have:N0}{(decompressed ? " once decompressed" : "")}");
        throw new DataFormatException(path, string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)}: {problem}: header says {Describe(wantsLabels)} ({need:N0} bytes of {Describe(DataType)} data after the {DataOffset}-byte header), file has {has}."));
    }

    /// <summary>What the header declares, e.g. "7996 images of 28x28".</summary>
    private string Describe(bool wantsLabels)
    {
        string noun = wantsLabels ? "labels" : Dimensions.Length == 3 ? "images" : "samples";
        return FormattableString.Invariant($"{Dimensions[0]} {noun}{DescribeSample(Dimensions)}");
    }

    public static int SizeOf(IdxDataType type) => type switch
    {
        IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
        IdxDataType.Short => 2,
        IdxDataType.Int or IdxDataType.Float => 4,
        IdxDataType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Describe(IdxDataType type) => type switch
    {
        IdxDataType.UnsignedByte => "unsigned-byte",
        IdxDataType.SignedByte => "signed-byte",
        IdxDataType.Short => "16-bit integer",
        IdxDataType.Int => "32-bit integer",
        IdxDataType.Float => "32-bit float",
        IdxDataType.Double => "64-bit float",
        _ => $"unknown type 0x{(byte)type:X2}",
    };

    public static string FormatShape(ReadOnlySpan<int> dimensions)
    {
        var parts = new string[dimensions.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            parts[i] = dimensions[i].ToString(CultureInfo.InvariantCulture);
        }
        return string.Join("x", parts);
    }

    private static string DescribeSample(int[] dimensions) => dimensions.Length switch
    {
        1 => string.Empty,
        2 => FormattableString.Invariant($" of {dimensions[1]:N0} values"),
        _ => $" of {FormatShape(dimensions.AsSpan(1))}",
    };

    private static string Describe(ReadOnlySpan<byte> bytes)
    {
        if (SourceFile.IsGzip(bytes))
        {
            return "gzip data: was the file compressed twice?";
        }
        if (bytes[0] != 0 || bytes[1] != 0)
        {
            return "not an IDX file: an IDX magic number starts with two zero bytes";
        }
        if (!Enum.IsDefined((IdxDataType)bytes[2]))
        {
            return $"unsupported IDX data type 0x{bytes[2]:X2}; supported: 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E";
        }
        if (bytes[3] == 0)
        {
            return "an IDX file with no dimensions";
        }
        return $"{Describe((IdxDataType)bytes[2])} data in {bytes[3]} dimension(s)";
    }
}

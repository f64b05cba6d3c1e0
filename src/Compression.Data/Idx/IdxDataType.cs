namespace Compression.Data.Idx;

/// <summary>
/// The element types an IDX file can hold (the third byte of its magic number). Named so that error
/// messages and callers can say which type a file has instead of quoting a hex code.
/// </summary>
public enum IdxDataType : byte
{
    /// <summary>0x08: unsigned byte (MNIST images and labels).</summary>
    UnsignedByte = 0x08,

    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>0x0B: big-endian 16-bit integer.</summary>
    Short = 0x0B,

    /// <summary>0x0C: big-endian 32-bit integer.</summary>
    Int = 0x0C,

    /// <summary>0x0D: big-endian 32-bit float.</summary>
    Float = 0x0D,

    /// <summary>0x0E: big-endian 64-bit float.</summary>
    Double = 0x0E,
}

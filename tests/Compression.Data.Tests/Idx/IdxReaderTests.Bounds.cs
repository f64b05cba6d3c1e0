using System.Buffers.Binary;
using Compression.Data.Idx;

namespace Compression.Data.Tests.Idx;

/// <summary>Issue 12: memory follows the header and the file, never a hostile stream.</summary>
public sealed partial class IdxReaderTests
{
    private const long SmallAllocation = 8L << 20;

    [Fact]
    public void A_gzip_bomb_behind_a_small_header_is_refused_without_inflating_it()
    {
        // A 10-label header followed by 256 MiB of zeros, as 256 gzip members of 1 MiB each (about 260 KB on disk).
        byte[] header = new byte[8];
        header[2] = 0x08;
        header[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 10);
        string path = _files.WriteGzipBomb("bomb-labels.gz", header, megabytes: 256);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("bomb-labels.gz: longer than its header says: header says 10 labels (10 bytes of unsigned-byte data after the 8-byte header), file has more than 65,546 once decompressed.", error.Message);
        Assert.True(allocated < SmallAllocation, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_raw_file_shorter_than_its_huge_header_declares_is_refused_before_its_data_is_read()
    {
        string path = _files.WriteIdx("huge-images", 0x08, [2_000_000, 32, 32], new byte[100]);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("huge-images: truncated: header says 2000000 images of 32x32 (2,048,000,000 bytes of unsigned-byte data after the 16-byte header), file has 100.", error.Message);
        Assert.True(allocated < SmallAllocation, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_gzip_file_declaring_far_more_than_it_holds_allocates_only_about_what_it_holds()
    {
        string path = _files.WriteIdx("short-images.gz", 0x08, [2_000_000, 32, 32], new byte[3 << 20], gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("short-images.gz: truncated: header says 2000000 images of 32x32 (2,048,000,000 bytes of unsigned-byte data after the 16-byte header), file has 3,145,728 once decompressed.", error.Message);
        Assert.True(allocated < 3 * (3L << 20) + SmallAllocation, $"allocated {allocated:N0} bytes for 3 MiB of data");
    }

    [Fact]
    public void A_header_declaring_more_bytes_than_a_data_file_may_have_is_refused_before_any_allocation()
    {
        string path = _files.WriteIdx("doubles", 0x0E, [1_000_000, 1000], new byte[64]);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FormattableString.Invariant($"doubles: the IDX header declares 1000000 samples of 1,000 values: 8,000,000,000 bytes of 64-bit float data, more than the {Array.MaxLength:N0} a data file can have here."), error.Message);
        Assert.True(allocated < SmallAllocation, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_header_whose_dimensions_multiply_past_an_array_is_refused()
    {
        string path = _files.WriteIdx("overflow", 0x08, [100_000, 100_000, 2], new byte[8]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal(FormattableString.Invariant($"overflow: the IDX header declares 100000x100000 values, more than fit in memory ({Array.MaxLength:N0})."), error.Message);
    }
}

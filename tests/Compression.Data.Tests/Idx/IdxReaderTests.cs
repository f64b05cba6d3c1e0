using System.Buffers.Binary;
using Compression.Data.Idx;

namespace Compression.Data.Tests.Idx;

public sealed partial class IdxReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unsigned_byte_images_round_trip_as_channel_first_grey_samples(bool gzip)
    {
        byte[] pixels = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
        string path = _files.WriteIdx("images.bin", 0x08, [2, 2, 3], pixels, gzip);

        IdxFeatures features = IdxReader.ReadFeatures(path);

        Assert.Equal(2, features.Count);
        Assert.Equal([1, 2, 3], features.SampleShape);
        Assert.Equal(IdxDataType.UnsignedByte, features.DataType);
        Assert.Equal(pixels.Select(p => (float)p).ToArray(), features.Features);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unsigned_byte_labels_round_trip(bool gzip)
    {
        string path = _files.WriteIdx("labels", 0x08, [5], [3, 0, 9, 255, 1], gzip);

        Assert.Equal([3, 0, 9, 255, 1], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void Gzip_is_detected_by_content_not_by_extension()
    {
        string gzipNamedRaw = _files.WriteIdx("labels.raw", 0x08, [2], [7, 8], gzip: true);
        string rawNamedGz = _files.WriteIdx("labels.gz", 0x08, [2], [4, 5], gzip: false);

        Assert.Equal([7, 8], IdxReader.ReadLabels(gzipNamedRaw));
        Assert.Equal([4, 5], IdxReader.ReadLabels(rawNamedGz));
    }

    [Fact]
    public void Two_dimensional_files_give_flat_feature_vectors()
    {
        string path = _files.WriteIdx("vectors", 0x08, [3, 4], [.. Enumerable.Range(0, 12).Select(i => (byte)i)]);

        IdxFeatures features = IdxReader.ReadFeatures(path);

        Assert.Equal(3, features.Count);
        Assert.Equal([4], features.SampleShape);
        Assert.Equal(11f, features.Features[11]);
    }

    [Fact]
    public void Wider_types_are_read_big_endian()
    {
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -2.25f);
        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 1000);
        var doubles = new byte[16];
        BinaryPrimitives.WriteDoubleBigEndian(doubles, 0.125);
        BinaryPrimitives.WriteDoubleBigEndian(doubles.AsSpan(8), 42);
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, 7);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 65536);

        Assert.Equal([1.5f, -2.25f], IdxReader.ReadFeatures(_files.WriteIdx("f", 0x0D, [2, 1], floats)).Features);
        Assert.Equal([-300f, 1000f], IdxReader.ReadFeatures(_files.WriteIdx("s", 0x0B, [1, 2], shorts)).Features);
        Assert.Equal([0.125f, 42f], IdxReader.ReadFeatures(_files.WriteIdx("d", 0x0E, [2, 1], doubles)).Features);
        Assert.Equal([-1f, 127f], IdxReader.ReadFeatures(_files.WriteIdx("b", 0x09, [2, 1], [0xFF, 0x7F])).Features);
        Assert.Equal([7, 65536], IdxReader.ReadLabels(_files.WriteIdx("i", 0x0C, [2], ints)));
    }

    [Fact]
    public void A_gzip_file_that_is_compressed_twice_is_rejected_with_the_expected_magic()
    {
        string inner = _files.WriteIdx("inner.gz", 0x08, [1, 2, 2], [1, 2, 3, 4], gzip: true);
        string path = _files.WriteBytes("train-images.gz", File.ReadAllBytes(inner), gzip: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith("train-images.gz: expected IDX magic 0x00000803 (unsigned-byte images)", error.Message);
        Assert.Contains("found 0x1F8B08", error.Message);
        Assert.Contains("compressed twice", error.Message);
    }

    [Fact]
    public void A_labels_file_read_as_features_is_named_as_such()
    {
        string path = _files.WriteIdx("train-labels", 0x08, [2], [1, 2]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal("train-labels: expected IDX magic 0x00000803 (unsigned-byte images) or another IDX type with 2 or more dimensions, found 0x00000801 (unsigned-byte data in 1 dimension(s): this looks like a labels file).", error.Message);
    }

    [Fact]
    public void An_images_file_read_as_labels_is_named_as_such()
    {
        string path = _files.WriteIdx("train-images", 0x08, [1, 1, 1], [0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.StartsWith("train-images: expected IDX magic 0x00000801 (unsigned-byte labels)", error.Message);
        Assert.Contains("found 0x00000803", error.Message);
        Assert.Contains("this looks like a features (images) file", error.Message);
    }

    [Fact]
    public void Float_labels_are_rejected_as_not_integers()
    {
        string path = _files.WriteIdx("labels", 0x0D, [1], [0, 0, 0, 0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("found 0x00000D01 (32-bit float data in 1 dimension(s))", error.Message);
    }

    [Fact]
    public void An_unsupported_type_code_is_named()
    {
        string path = _files.WriteIdx("weird", 0x0A, [1, 1], [0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Contains("weird: expected IDX magic 0x00000803", error.Message);
        Assert.Contains("unsupported IDX data type 0x0A", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_idx_at_all_is_rejected()
    {
        string path = _files.WriteText("notes.txt", "hello world");

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Contains("notes.txt: expected IDX magic 0x00000803", error.Message);
        Assert.Contains("found 0x68656C6C (not an IDX file", error.Message);
    }

    [Fact]
    public void Truncated_pixel_data_says_what_the_header_promised_and_what_the_file_has()
    {
        string path = _files.WriteIdx("train-images.gz", 0x08, [7996, 28, 28], new byte[1_000_000], gzip: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("train-images.gz: truncated: header says 7996 images of 28x28 (6,268,864 bytes of unsigned-byte data after the 16-byte header), file has 1,000,000 once decompressed.", error.Message);
    }

    [Fact]
    public void A_gzip_download_cut_off_halfway_is_reported_as_truncated()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(RepoPaths.MnistData, "train-images-idx3-ubyte.gz"));
        string path = _files.WriteBytes("train-images-idx3-ubyte.gz", whole[..(whole.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith("train-images-idx3-ubyte.gz: ", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_truncated_header_is_reported()
    {
        byte[] bytes = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0];
        string path = _files.WriteBytes("short", bytes);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFeatures(path));

        Assert.Equal("short: truncated: the IDX header of 3 dimension(s) needs 16 bytes, file has 10.", error.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_reported()
    {
        string path = _files.WriteIdx("labels", 0x08, [2], [1, 2, 3]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal("labels: longer than its header says: header says 2 labels (2 bytes of unsigned-byte data after the 8-byte header), file has 3.", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_reported_as_a_data_error()
    {
        string path = _files.WriteBytes("broken.gz", [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0xFF, 0xFF, 0xFF]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.StartsWith("broken.gz: ", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error_naming_the_path()
    {
        string path = _files.PathOf("absent.gz");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }
}

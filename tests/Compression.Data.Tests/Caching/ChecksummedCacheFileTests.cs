using Compression.Data.Caching;

namespace Compression.Data.Tests.Caching;

public sealed class ChecksummedCacheFileTests : IDisposable
{
    private static readonly byte[] s_magic = "CMPTEST1\n"u8.ToArray();

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string Entry() => Path.Combine(_folder, "entry.bin");

    private void WriteEntry(string key) =>
        ChecksummedCacheFile.Write(Entry(), s_magic, key, put =>
        {
            put([1, 2, 3]);
            put([4, 5]);
        });

    [Fact]
    public void A_written_entry_reads_back_its_payload_and_leaves_no_temporary_file()
    {
        WriteEntry("key-a");

        Assert.Equal([1, 2, 3, 4, 5], ChecksummedCacheFile.TryRead(Entry(), s_magic, "key-a", _ => true));
        Assert.Equal(["entry.bin"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_flipped_byte_is_a_miss_and_the_file_is_deleted()
    {
        WriteEntry("key-a");
        byte[] bytes = File.ReadAllBytes(Entry());
        bytes[s_magic.Length + 5 + 1] ^= 0xFF;
        File.WriteAllBytes(Entry(), bytes);

        Assert.Null(ChecksummedCacheFile.TryRead(Entry(), s_magic, "key-a", _ => true));
        Assert.False(File.Exists(Entry()));
    }

    [Fact]
    public void Another_key_or_a_payload_the_caller_refuses_is_a_miss()
    {
        WriteEntry("key-a");
        Assert.Null(ChecksummedCacheFile.TryRead(Entry(), s_magic, "key-b", _ => true));

        WriteEntry("key-a");
        Assert.Null(ChecksummedCacheFile.TryRead(Entry(), s_magic, "key-a", payload => payload.Length == 4));
        Assert.False(File.Exists(Entry()));
    }

    [Fact]
    public void No_file_is_a_miss() =>
        Assert.Null(ChecksummedCacheFile.TryRead(Entry(), s_magic, "key-a", _ => true));

    [Fact]
    public void An_entry_opened_in_place_gives_its_payload_position_in_the_checked_file()
    {
        WriteEntry("key-a");

        var opened = ChecksummedCacheFile.TryOpen(Entry(), s_magic, "key-a", (_, _, length) => length == 5);

        Assert.NotNull(opened);
        using var file = opened.Value.File;
        var payload = new byte[opened.Value.PayloadLength];
        RandomAccess.Read(file, payload, opened.Value.PayloadOffset);
        Assert.Equal([1, 2, 3, 4, 5], payload);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("key")]
    [InlineData("refused")]
    public void A_damaged_truncated_foreign_or_refused_entry_is_not_opened_and_is_deleted(string damage)
    {
        WriteEntry("key-a");
        byte[] bytes = File.ReadAllBytes(Entry());
        if (damage == "flip")
        {
            bytes[s_magic.Length + 5 + 1] ^= 0xFF;
        }
        File.WriteAllBytes(Entry(), damage == "truncate" ? bytes[..^3] : bytes);

        var opened = ChecksummedCacheFile.TryOpen(Entry(), s_magic, damage == "key" ? "key-b" : "key-a", (_, _, length) => damage != "refused");

        Assert.Null(opened);
        Assert.False(File.Exists(Entry()));
    }
}

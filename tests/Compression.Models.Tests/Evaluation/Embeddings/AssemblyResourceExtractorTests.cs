using System.Security.Cryptography;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public sealed class AssemblyResourceExtractorTests : IDisposable
{
    private const string Resource = "extractor-test.txt";
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"compression-extractor-{Guid.NewGuid():N}");
    private static string Assembly => typeof(AssemblyResourceExtractorTests).Assembly.Location;

    // The runtime's own reading of the resource (the assembly is loaded: it is this test's).
    private static byte[] Expected
    {
        get
        {
            using Stream stream = typeof(AssemblyResourceExtractorTests).Assembly.GetManifestResourceStream(Resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public void A_resource_comes_out_as_a_file_with_its_hash_and_no_scratch_left_behind()
    {
        ExtractedFile file = Extract().Single();

        Assert.Equal(Expected, File.ReadAllBytes(file.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Expected)), file.Sha256);
        Assert.Equal(Expected.Length, file.Bytes);
        Assert.Equal("copy.txt", Path.GetFileName(file.Path));
        Assert.Equal(Path.GetDirectoryName(file.Path), Assert.Single(Directory.GetDirectories(_cache)));
    }

    [Fact]
    public void A_second_extraction_is_served_from_the_cache_without_rewriting()
    {
        ExtractedFile first = Extract().Single();
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(first.Path, past);

        ExtractedFile second = Extract().Single();

        Assert.Equal(first, second);
        Assert.Equal(past, File.GetLastWriteTimeUtc(second.Path));
    }

    [Fact]
    public void A_damaged_cache_entry_is_written_again()
    {
        ExtractedFile first = Extract().Single();
        byte[] damaged = File.ReadAllBytes(first.Path);
        damaged[0] ^= 0xFF;
        File.WriteAllBytes(first.Path, damaged);

        ExtractedFile second = Extract().Single();

        Assert.Equal(first.Path, second.Path);
        Assert.Equal(Expected, File.ReadAllBytes(second.Path));
    }

    [Fact]
    public void A_missing_resource_is_an_error_listing_those_the_assembly_has()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            AssemblyResourceExtractor.Extract(Assembly, [("no-such-resource", "x.txt")], _cache, CancellationToken.None));

        Assert.Contains("no embedded resource 'no-such-resource'", error.Message);
        Assert.Contains(Resource, error.Message);
        Assert.False(Directory.Exists(_cache) && Directory.EnumerateFileSystemEntries(_cache).Any(), "nothing is cached");
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_an_error_naming_it()
    {
        Directory.CreateDirectory(_cache);
        string text = Path.Combine(_cache, "not-an-assembly.dll");
        File.WriteAllText(text, "plain text");

        var error = Assert.Throws<InvalidDataException>(() =>
            AssemblyResourceExtractor.Extract(text, [(Resource, "copy.txt")], Path.Combine(_cache, "entries"), CancellationToken.None));

        Assert.Contains(text, error.Message);
        Assert.Contains("not a .NET assembly", error.Message);
    }

    [Fact]
    public void File_names_with_folders_are_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            AssemblyResourceExtractor.Extract(Assembly, [(Resource, "../escape.txt")], _cache, CancellationToken.None));
    }

    private IReadOnlyList<ExtractedFile> Extract() =>
        AssemblyResourceExtractor.Extract(Assembly, [(Resource, "copy.txt")], _cache, CancellationToken.None);
}

using Compression.Abstractions.Artifacts;

namespace Compression.Core.Tests.Results;

public class AtomicFileTests
{
    [Fact]
    public void A_writer_that_fails_leaves_the_old_file_as_it_was_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.Write("model.json", "old");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, temporary =>
        {
            File.WriteAllText(temporary, "half of the new");
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["model.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_replaces_the_file_whole_and_creates_its_folder()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "new", "report.md");

        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        AtomicFile.Copy(path, Path.Combine(folder.Path, "copy.md"));

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal("second", File.ReadAllText(Path.Combine(folder.Path, "copy.md")));
        Assert.Equal(["report.md"], Directory.GetFiles(Path.Combine(folder.Path, "new")).Select(Path.GetFileName));
    }
}

using Compression.Core.Cache;
using Compression.Core.Targets;

namespace Compression.Core.Tests.Targets;

/// <summary>The runner cache serves an entry only while every file matches its manifest; anything else is published again.</summary>
[Trait("Category", "Targets")]
public sealed class RunnerPublisherTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (RunnerPublisher Publisher, string Entry) Cached(string content)
    {
        string sources = Path.Combine(_folder.Path, "sources");
        Directory.CreateDirectory(sources);
        // Not a project dotnet can publish: a publish attempt fails at once.
        File.WriteAllText(Path.Combine(sources, "compression-runner.csproj"), "<Project>not a project");
        string cache = Path.Combine(_folder.Path, "cache");
        var publisher = new RunnerPublisher(sources, cache);
        string entry = Path.Combine(cache, $"linux-x64-{publisher.Key("linux-x64")}");
        Directory.CreateDirectory(entry);
        File.WriteAllText(Path.Combine(entry, "compression-runner"), content);
        File.WriteAllText(Path.Combine(entry, "runner.manifest"), $"{ContentHash.OfText(content)} compression-runner\n");
        return (publisher, entry);
    }

    [Fact]
    public async Task A_sound_entry_is_served_without_publishing()
    {
        var (publisher, entry) = Cached("runner bytes");
        Assert.Equal(entry, await publisher.PublishAsync("linux-x64", new Progress<string>(), CancellationToken.None));
    }

    [Fact]
    public async Task An_altered_entry_is_discarded_and_published_again()
    {
        var (publisher, entry) = Cached("runner bytes");
        File.WriteAllText(Path.Combine(entry, "compression-runner"), "tampered");
        var ex = await Assert.ThrowsAsync<TargetException>(() => publisher.PublishAsync("linux-x64", new Progress<string>(), CancellationToken.None));
        Assert.Equal(ErrorCodes.TargetRunnerPublishFailed, ex.Code);
        Assert.StartsWith("publishing the runner for linux-x64 failed (dotnet publish exit 1)", ex.Message);
        Assert.False(Directory.Exists(entry));
    }

    [Fact]
    public async Task Serving_an_entry_keeps_the_two_most_recently_used_of_its_rid_and_removes_older_ones()
    {
        var (publisher, entry) = Cached("runner bytes");
        string cache = Path.GetDirectoryName(entry)!;
        string Older(string name, int daysAgo)
        {
            string folder = Path.Combine(cache, name);
            Directory.CreateDirectory(folder);
            string manifest = Path.Combine(folder, "runner.manifest");
            File.WriteAllText(manifest, "");
            File.SetLastWriteTimeUtc(manifest, DateTime.UtcNow.AddDays(-daysAgo));
            return folder;
        }
        string previous = Older("linux-x64-" + new string('a', 32), 1);
        string oldest = Older("linux-x64-" + new string('b', 32), 30);
        string otherRid = Older("linux-arm64-" + new string('c', 32), 60);

        await publisher.PublishAsync("linux-x64", new Progress<string>(), CancellationToken.None);

        Assert.True(Directory.Exists(entry));
        Assert.True(Directory.Exists(previous));
        Assert.False(Directory.Exists(oldest));
        Assert.True(Directory.Exists(otherRid));
    }

    [Fact]
    public void The_key_follows_the_sources_and_the_rid()
    {
        var (publisher, _) = Cached("x");
        string before = publisher.Key("linux-x64");
        Assert.NotEqual(before, publisher.Key("linux-arm64"));
        File.AppendAllText(Path.Combine(_folder.Path, "sources", "compression-runner.csproj"), " ");
        Assert.NotEqual(before, publisher.Key("linux-x64"));
    }
}

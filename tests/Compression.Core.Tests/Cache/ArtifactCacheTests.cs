using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Core.Cache;

namespace Compression.Core.Tests.Cache;

public class ArtifactCacheTests
{
    private static CacheEntry Store(ArtifactCache cache, string key, string contents)
    {
        string scratch = cache.CreateScratch();
        string file = Path.Combine(scratch, "model.onnx");
        File.WriteAllText(file, contents);
        return cache.Commit(key, scratch, [new Artifact(ArtifactKind.OnnxModel, file)], [new Metric("m", 1)], "report");
    }

    [Fact]
    public void A_committed_entry_is_served_with_its_artifacts_and_metrics()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        Store(cache, "k1", "weights");
        var entry = cache.TryGet("k1");
        Assert.NotNull(entry);
        Assert.Equal("weights", File.ReadAllText(entry.PathOf(entry.Manifest.Artifacts[0].Path)));
        Assert.Equal(1, entry.Manifest.Metrics[0].Value);
        Assert.Equal(ContentHash.OfText("weights"), entry.Manifest.Artifacts[0].Sha256);
    }

    [Fact]
    public void A_corrupted_entry_is_deleted_not_served()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        var entry = Store(cache, "k2", "weights");
        File.WriteAllText(entry.PathOf("model.onnx"), "weightz");
        Assert.Null(cache.TryGet("k2"));
        Assert.False(Directory.Exists(entry.Directory));
    }

    [Fact]
    public void An_entry_without_a_manifest_is_never_served()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        var entry = Store(cache, "k3", "weights");
        File.Delete(Path.Combine(entry.Directory, "manifest.json"));
        Assert.Null(cache.TryGet("k3"));
    }

    [Fact]
    public void Discarded_and_swept_scratch_folders_leave_nothing_behind()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        string discarded = cache.CreateScratch();
        File.WriteAllText(Path.Combine(discarded, "half.onnx"), "x");
        cache.Discard(discarded);
        string killed = cache.CreateScratch();
        cache.SweepScratch();
        Assert.False(Directory.Exists(discarded));
        Assert.False(Directory.Exists(killed));
    }

    [Fact]
    public void Key_parts_cannot_run_together()
    {
        string a = new ContentHash.KeyBuilder().Add("ab").Add("c").Build();
        string b = new ContentHash.KeyBuilder().Add("a").Add("bc").Build();
        Assert.NotEqual(a, b);
    }
}

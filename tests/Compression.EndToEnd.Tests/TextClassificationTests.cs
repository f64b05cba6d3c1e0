using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Text classification (issue 19): a labelled text set through the same WordPiece tokenizer as the
/// embedding task, a transformer teacher (token embedding, encoder, mean pool, a classifier head) and a
/// smaller student, distilled with soft labels, exported, quantized and gated by the usual accuracy
/// budgets; result.json carries the classification metric names.
/// </summary>
public sealed class TextClassificationTests : IDisposable
{
    private static readonly string[] s_sports = ["goal", "match", "team", "score", "referee", "league", "striker", "keeper"];
    private static readonly string[] s_cooking = ["flour", "oven", "recipe", "butter", "simmer", "sauce", "pastry", "spoon"];
    private static readonly string[] s_shared = ["the", "a", "was", "after", "with", "very", "today", "again"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public TextClassificationTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllLines(Path.Combine(_folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. s_sports, .. s_cooking, .. s_shared]);
        var random = new Random(3);
        File.WriteAllLines(Path.Combine(_folder, "train.csv"), ["text,label", .. Rows(random, 320)]);
        File.WriteAllLines(Path.Combine(_folder, "test.csv"), ["text,label", .. Rows(random, 120)]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Sentences of two topic words among shared words; the label is the topic's name.</summary>
    private static IEnumerable<string> Rows(Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            bool sports = i % 2 == 0;
            string[] topic = sports ? s_sports : s_cooking;
            var words = new List<string> { topic[random.Next(topic.Length)], topic[random.Next(topic.Length)] };
            for (int w = random.Next(2, 5); w > 0; w--)
            {
                words.Insert(random.Next(words.Count + 1), s_shared[random.Next(s_shared.Length)]);
            }
            yield return $"{string.Join(' ', words)},{(sports ? "sports" : "cooking")}";
        }
    }

    [Fact]
    public void A_transformer_teacher_is_distilled_into_a_smaller_text_classifier_exported_quantized_and_gated_on_accuracy()
    {
        string config = FastConfig.Write(Config(minRetention: 0.9), _folder);
        var passed = Run(config);
        var missed = Run(FastConfig.Write(Config(minRetention: 1.5), _folder));

        Assert.True(passed.ExitCode == 0, passed.ToString());
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")));
        JsonElement metrics = result.RootElement.GetProperty("metrics");
        double Metric(string name) => metrics.GetProperty(name).GetDouble();
        // Two topic words decide the class: both models must learn it, not guess (50%).
        Assert.True(Metric("teacher.accuracy") >= 0.9, $"teacher accuracy {Metric("teacher.accuracy")}");
        Assert.True(Metric("student.accuracy") >= 0.9, $"student accuracy {Metric("student.accuracy")}");
        Assert.True(Metric("student.parameters") < Metric("teacher.parameters"));
        Assert.InRange(Metric("quantize.int8_agreement"), 0, 1);
        Assert.True(File.Exists(Path.Combine(_folder, "work", "student.onnx")) || Directory.GetFiles(Path.Combine(_folder, "work"), "*.onnx", SearchOption.AllDirectories).Length > 0);

        Assert.Equal(1, missed.ExitCode);
        Assert.Matches(@"error CMP3001: accuracy retention [0-9.]+ is below the budget 1\.5", missed.Output);
    }

    private ProcessRunner.Outcome Run(string configPath) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(4));

    private static JsonObject Config(double minRetention) => JsonNode.Parse($$"""
        {
          "seed": 7,
          "data": {
            "format": "text",
            "normalization": "none",
            "train": { "path": "train.csv" },
            "test": { "path": "test.csv" },
            "validationFraction": 0.1,
            "settings": { "vocab": "vocab.txt", "maxLength": 12, "textColumn": "text", "labelColumn": "label" }
          },
          "teacher": {
            "model": { "input": [2, 12], "layers": [
              { "type": "token-embedding", "vocabulary": 29, "hidden": 32, "maxPositions": 12, "dropout": 0 },
              { "type": "encoder", "heads": 2, "hidden": 32, "intermediate": 64, "dropout": 0 },
              { "type": "mean-pool" },
              { "type": "linear", "out": 2 } ] },
            "training": { "epochs": 6, "batchSize": 16 }
          },
          "stages": [
            { "stage": "distill", "settings": {
              "student": { "input": [2, 12], "layers": [
                { "type": "token-embedding", "vocabulary": 29, "hidden": 8, "maxPositions": 12, "dropout": 0 },
                { "type": "mean-pool" },
                { "type": "linear", "out": 2 } ] },
              "epochs": 6, "batchSize": 16, "learningRate": 0.01, "repeats": 1, "compareWithScratch": false } },
            { "stage": "export" },
            { "stage": "quantize", "settings": { "mode": "dynamic" } }
          ],
          "budgets": { "minAccuracyRetention": {{minRetention.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
        }
        """)!.AsObject();
}

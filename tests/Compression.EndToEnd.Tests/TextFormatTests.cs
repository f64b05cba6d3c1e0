using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The text format (<c>"format": "text"</c>, the first-party text plugin loaded by the host like any
/// plugin) with the bad text a user brings: each is exit 2 with an error at its file and line, or at
/// the setting, before anything trains.
/// </summary>
public sealed class TextFormatTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public TextFormatTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n");
        File.WriteAllText(Path.Combine(_folder, "test.csv"), "text,label\nhello,a\nworld,b\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Bad_text_files_a_bad_vocabulary_and_a_scaled_normalisation_are_exit_2_located()
    {
        string train = Path.Combine(_folder, "train.csv");
        string jsonl = Path.Combine(_folder, "train.jsonl");
        string vocab = Path.Combine(_folder, "vocab.txt");
        string config = FastConfig.Write(Config("train.csv"), _folder);

        File.WriteAllText(train, "text,label\nhello,a\n\"  \",b\n");
        var empty = Run(config);
        File.WriteAllBytes(train, [.. "text,label\nhello,a\nwor"u8, 0xFF, .. "ld,b\n"u8]);
        var utf8 = Run(config);
        File.WriteAllText(train, "sentence,label\nhello,a\n");
        var column = Run(config);
        File.WriteAllText(jsonl, "{\"text\": \"hello\", \"label\": \"a\"}\n{\"text\": \"world\", \"label\": false}\n");
        var label = Run(FastConfig.Write(Config("train.jsonl"), _folder));
        File.WriteAllText(train, "text,label\nhello,a\nworld,b\n");
        File.WriteAllText(vocab, "[PAD]\n[UNK]\nhello\n");
        var specials = Run(config);
        File.Delete(vocab);
        var missing = Run(config);
        var scaled = Run(FastConfig.Write(Config("train.csv", normalization: "scale"), _folder));

        Assert.True(empty.ExitCode == 2, empty.ToString());
        Assert.Contains($"{train}(3,1): error CMP2001: train.csv:3, field 1 (\"text\"): expected a text to tokenise, found only whitespace", empty.Output);
        Assert.True(utf8.ExitCode == 2, utf8.ToString());
        Assert.Contains($"{train}(3,0): error CMP2001: train.csv:3: expected UTF-8 text, found an invalid byte sequence (0xFF) at byte 4 of the line", utf8.Output);
        Assert.True(column.ExitCode == 2, column.ToString());
        Assert.Contains("error CMP2001: train.csv:1: expected a column named \"text\" in the header, found \"sentence\", \"label\"", column.Output);
        Assert.True(label.ExitCode == 2, label.ToString());
        Assert.Contains($"{jsonl}(2,0): error CMP2001: train.jsonl:2, key \"label\": expected a class label as a string (a class name) or an integer (a class index), found a boolean", label.Output);
        Assert.True(specials.ExitCode == 2, specials.ToString());
        Assert.Contains("error CMP2001: vocab.txt: expected a WordPiece vocabulary with the special tokens [CLS], [SEP], [UNK], [PAD], [MASK] (one token a line), found 3 tokens without [CLS], [SEP], [MASK]", specials.Output);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains($"error CMP1004: data.settings.vocab: {vocab} not found", missing.Output);
        Assert.True(scaled.ExitCode == 2, scaled.ToString());
        Assert.Contains("data.normalization: the text format's samples are token ids and an attention mask", scaled.Output);
    }

    private ProcessRunner.Outcome Run(string configPath) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(2));

    private static JsonObject Config(string train, string normalization = "none") => JsonNode.Parse($$"""
        {
          "seed": 7,
          "data": {
            "format": "text",
            "normalization": "{{normalization}}",
            "train": { "path": "{{train}}" },
            "test": { "path": "test.csv" },
            "settings": { "vocab": "vocab.txt", "maxLength": 8 }
          },
          "teacher": {
            "model": { "input": [2, 8], "layers": [ { "type": "flatten" }, { "type": "linear", "out": 2 } ] },
            "training": { "epochs": 1, "batchSize": 2 }
          },
          "stages": [
            { "stage": "distill", "settings": { "student": { "input": [2, 8], "layers": [ { "type": "flatten" }, { "type": "linear", "out": 2 } ] }, "epochs": 1, "batchSize": 2, "repeats": 1, "compareWithScratch": false } },
            { "stage": "export" }
          ],
          "budgets": { "minAccuracyRetention": 0.5 }
        }
        """)!.AsObject();
}

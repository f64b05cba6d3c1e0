using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Students that start from all-MiniLM-L6-v2 (issue 19), through the host as a process on a cut of the
/// sentence-embeddings sample's data (<see cref="SentenceEmbeddingsCut"/>), each run a few seconds of training:
/// <c>init.fromTeacher</c> (DistilBERT-style layers), <c>"method": "tinybert"</c> (layer losses) and
/// <c>init.fromTeacherTokens</c> (Model2Vec-style static student). Each initialisation is compared with the same
/// student from random weights trained the same way (one epoch of 6 steps at learning rate 1e-5, too little to
/// matter), so what the test measures is the start. A random student is no strawman here: its random token
/// vectors, mean-pooled, match queries to documents by their shared words (recall@10 0.57-0.69 on these pairs).
/// </summary>
[Trait("Category", "Model")]
public sealed class StudentFromTeacherTests : IClassFixture<SentenceEmbeddingsCut>, IDisposable
{
    private const int Length = 16;
    private readonly SentenceEmbeddingsCut _data;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public StudentFromTeacherTests(SentenceEmbeddingsCut data, ITestOutputHelper output)
    {
        (_data, _output) = (data, output);
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_student_started_from_MiniLM_layers_0_and_5_retrieves_far_better_than_the_same_student_from_random_weights()
    {
        const string Student = """
            { "input": [2, 16], "layers": [
              { "type": "token-embedding", "vocabulary": 30522, "hidden": 384, "maxPositions": 16, "dropout": 0 },
              { "type": "encoder", "name": "enc1", "heads": 12, "hidden": 384, "intermediate": 1536, "dropout": 0 },
              { "type": "encoder", "name": "enc2", "heads": 12, "hidden": 384, "intermediate": 1536, "dropout": 0 },
              { "type": "mean-pool" }, { "type": "normalize" } ] }
            """;

        Run copied = Distil("layers", Settings("embedding", Student, """{ "fromTeacher": { "layers": [0, 5] } }"""));
        Run random = Distil("random-layers", Settings("embedding", Student, init: null));

        const string Copied = "token embedding and teacher layers [0, 5] of 6 copied into the student's 2 encoder layers";
        Assert.Contains($"distill: embedding: {Copied}", copied.Output);
        Assert.Contains($"Student of 15,276,288 parameters ({Copied}) trained for 6 steps on 180 texts", copied.Report);
        Assert.DoesNotContain("copied into", random.Output);
        Print("init.fromTeacher [0, 5]", copied, random);
        AssertFarAbove(copied, random, recallMargin: 0.12, cosineMargin: 0.3);
    }

    [Fact]
    public void TinyBERT_s_layer_losses_train_named_encoders_through_the_host_and_the_report_names_both_terms()
    {
        // Narrower than the teacher (128 wide, 4 heads): the hidden states go through a projection and the
        // attention maps are head-averaged, the paths a same-shape student skips.
        const string Student = """
            { "input": [2, 16], "layers": [
              { "type": "token-embedding", "vocabulary": 30522, "hidden": 128, "maxPositions": 16, "dropout": 0 },
              { "type": "encoder", "name": "enc1", "heads": 4, "hidden": 128, "intermediate": 256, "dropout": 0 },
              { "type": "encoder", "name": "enc2", "heads": 4, "hidden": 128, "intermediate": 256, "dropout": 0 },
              { "type": "mean-pool" }, { "type": "linear", "out": 384 }, { "type": "normalize" } ] }
            """;
        JsonObject settings = Settings("tinybert", Student, init: null);
        settings["methodParameters"] = JsonNode.Parse("""{ "cosine": 1, "hidden": 1, "attention": 1 }""");
        settings["layerMap"] = new JsonArray(0, 5);

        Run tiny = Distil("tinybert", settings);

        Assert.Matches(@"distill: tinybert: epoch 1/1 loss \d+\.\d{4} \(cosine \d+\.\d{4}, mse \d+\.\d{4}, hidden \d+\.\d{4}, attention \d+\.\d{4}\)", tiny.Output);
        Assert.Contains("(loss 1 x (1 - cosine) + 0 x MSE + 1 x hidden-state MSE + 1 x attention MSE, enc1 to teacher layer 0 (projected), enc2 to teacher layer 5 (projected);", tiny.Report);
        Assert.InRange(tiny.Metric("student.recall_at_10"), 0, 1);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tinybert, 2 x 128 wide, layerMap [0, 5]: recall@10 {tiny.Metric("student.recall_at_10"):0.000}, cosine to the teacher {tiny.Metric("student.cosine_to_teacher"):0.0000}"));
    }

    [Fact]
    public void A_layer_map_of_the_wrong_length_is_exit_2_at_its_line_and_one_beyond_the_teacher_is_exit_2_at_its_entry_when_the_stage_runs()
    {
        const string Student = """
            { "input": [2, 16], "layers": [
              { "type": "token-embedding", "vocabulary": 30522, "hidden": 64, "maxPositions": 16, "dropout": 0 },
              { "type": "encoder", "name": "enc1", "heads": 2, "hidden": 64, "intermediate": 128, "dropout": 0 },
              { "type": "encoder", "name": "enc2", "heads": 2, "hidden": 64, "intermediate": 128, "dropout": 0 },
              { "type": "mean-pool" }, { "type": "linear", "out": 384 } ] }
            """;
        JsonObject settings = Settings("tinybert", Student, init: null);
        settings["layerMap"] = new JsonArray(1, 3, 5);
        string threeForTwo = Write("layer-map-count", settings);
        settings["layerMap"] = new JsonArray(0, 9);
        string beyond = Write("layer-map-beyond", settings);

        var validated = Validate(threeForTwo);
        var run = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", beyond, "--work-dir", Path.Combine(_folder, "layer-map-beyond", "work")], _folder, TimeSpan.FromMinutes(4));

        Assert.True(validated.ExitCode == 2, validated.ToString());
        Assert.Matches($@"{Regex.Escape(threeForTwo)}\({LineOf(threeForTwo, "\"layerMap\"")},\d+\): error CMP\d+: 'stages\[0\]\.settings\.layerMap': lists 3 teacher layers but the student has 2 encoder layers", validated.Output);
        Assert.True(run.ExitCode == 2, run.ToString());
        // The entry 9 is the array's second element, written on its own line two below "layerMap".
        Assert.Matches($@"{Regex.Escape(beyond)}\({LineOf(beyond, "\"layerMap\"") + 2},\d+\): error CMP\d+: stage 'distill': 'layerMap\[1\]' is 9 but the teacher has 6 encoder layers: expected 0 to 5", run.Output);
        Assert.DoesNotContain("tinybert: epoch", run.Output);
    }

    [Fact]
    public void A_static_student_started_from_the_teacher_s_token_embeddings_retrieves_far_better_than_the_same_student_from_random_weights()
    {
        const string Student = """
            { "input": [2, 16], "layers": [
              { "type": "token-embedding", "vocabulary": 30522, "hidden": 128, "maxPositions": 16, "dropout": 0, "norm": false },
              { "type": "mean-pool" }, { "type": "linear", "out": 384 }, { "type": "normalize" } ] }
            """;

        Run tokens = Distil("tokens", Settings("embedding", Student, """{ "fromTeacherTokens": true }"""));
        Run random = Distil("random-tokens", Settings("embedding", Student, init: null));

        // The teacher embeds each of the 30,522 tokens on its own, with a line per tenth.
        Assert.True(Regex.Matches(tokens.Output, @"distill: init\.fromTeacherTokens: teacher embeddings of [\d,]+/30,522 tokens").Count >= 5, tokens.Output);
        Assert.Contains("distill: init.fromTeacherTokens: teacher embeddings of 30,522/30,522 tokens", tokens.Output);
        const string Table = @"token table from the teacher's embeddings of its 30,522 tokens alone, PCA 384 -> 128 keeping \d+\.\d% of their variance, the projection after the mean pool as the PCA's inverse";
        Assert.Matches($"distill: embedding: {Table}", tokens.Output);
        Assert.Matches($@"Student of [\d,]+ parameters \({Table}\) trained for 6 steps", tokens.Report);
        Assert.DoesNotContain("fromTeacherTokens", random.Output);
        Print("init.fromTeacherTokens, static 128", tokens, random);
        AssertFarAbove(tokens, random, recallMargin: 0.08, cosineMargin: 0.15);
    }

    [Fact]
    public void A_static_student_whose_layer_norm_is_on_or_whose_method_is_kd_is_exit_2_at_its_line()
    {
        const string Student = """
            { "input": [2, 16], "layers": [
              { "type": "token-embedding", "vocabulary": 30522, "hidden": 128, "maxPositions": 16, "dropout": 0, "norm": true },
              { "type": "mean-pool" }, { "type": "linear", "out": 384 }, { "type": "normalize" } ] }
            """;
        const string Init = """{ "fromTeacherTokens": true }""";
        string normOn = Write("norm-on", Settings("embedding", Student, Init));
        JsonObject byDefault = Settings("embedding", Student, Init);
        byDefault["student"]!["layers"]![0]!.AsObject().Remove("norm");
        string normByDefault = Write("norm-default", byDefault);
        JsonObject kd = Settings("kd", Student.Replace("\"norm\": true", "\"norm\": false", StringComparison.Ordinal), Init);
        kd.Remove("methodParameters");
        kd.Remove("optimizer");
        string kdPath = Write("kd", kd);

        var on = Validate(normOn);
        var unset = Validate(normByDefault);
        var method = Validate(kdPath);

        const string NormError = @"error CMP\d+: 'stages\[0\]\.settings\.student\.layers\[0\]\.norm': 'student\.layers\[0\]' has a LayerNorm: set ""norm"": false for a token table from the teacher";
        Assert.True(on.ExitCode == 2, on.ToString());
        Assert.Matches($@"{Regex.Escape(normOn)}\({LineOf(normOn, "\"norm\"")},\d+\): {NormError}", on.Output);
        // Left out, "norm" is on by default: the error points at the layer, the line its "type" follows.
        Assert.True(unset.ExitCode == 2, unset.ToString());
        Assert.Matches($@"{Regex.Escape(normByDefault)}\({LineOf(normByDefault, "\"token-embedding\"") - 1},\d+\): {NormError}", unset.Output);
        Assert.True(method.ExitCode == 2, method.ToString());
        Assert.Matches($@"{Regex.Escape(kdPath)}\({LineOf(kdPath, "\"fromTeacherTokens\"")},\d+\): error CMP\d+: 'stages\[0\]\.settings\.init\.fromTeacherTokens': is supported with ""method"": ""embedding"" or ""tinybert"" \(a BERT-family sentence encoder teacher\), not ""kd""", method.Output);
    }

    /// <summary>
    /// The initialised student's recall@10 is above the random one's by the margin, and its interval for the
    /// difference to the teacher (paired bootstrap over the same queries) lies wholly above the random one's,
    /// so the gap is not the luck of these pairs; its mean cosine to the teacher is far above too.
    /// </summary>
    private static void AssertFarAbove(Run initialised, Run random, double recallMargin, double cosineMargin)
    {
        string figures = $"{initialised.Figures()} against {random.Figures()}";
        Assert.True(initialised.Metric("student.recall_at_10") >= random.Metric("student.recall_at_10") + recallMargin, figures);
        Assert.True(initialised.Metric("student.recall_at_10_difference_low") > random.Metric("student.recall_at_10_difference_high"), figures);
        Assert.True(initialised.Metric("student.cosine_to_teacher") >= random.Metric("student.cosine_to_teacher") + cosineMargin, figures);
    }

    private void Print(string what, Run initialised, Run random)
    {
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher recall@10 {initialised.Metric("teacher.recall_at_10"):0.000} on {SentenceEmbeddingsCut.TestPairs} pairs, length {Length}"));
        _output.WriteLine($"{what}: {initialised.Figures()}");
        _output.WriteLine($"random init: {random.Figures()}");
    }

    /// <summary>The distill stage's settings: one epoch at a tiny learning rate, so the start is what is compared.</summary>
    private static JsonObject Settings(string method, string student, string? init)
    {
        var settings = new JsonObject
        {
            ["method"] = method,
            ["methodParameters"] = JsonNode.Parse("""{ "cosine": 1, "mse": 0 }"""),
            ["student"] = JsonNode.Parse(student),
            ["epochs"] = 1,
            ["batchSize"] = 32,
            ["optimizer"] = "adamw",
            ["learningRate"] = 1e-5,
        };
        if (init is not null)
        {
            settings["init"] = JsonNode.Parse(init);
        }
        return settings;
    }

    /// <summary>Writes the config with these distill settings into its own folder; returns its path.</summary>
    private string Write(string name, JsonObject settings)
    {
        var config = JsonNode.Parse($$"""
            {
              "task": "embedding",
              "seed": 7,
              "data": {
                "format": "text",
                "normalization": "none",
                "train": { "path": {{JsonSerializer.Serialize(_data.TrainPath)}} },
                "test": { "path": {{JsonSerializer.Serialize(_data.TestPath)}} },
                "validationFraction": 0.1,
                "settings": { "vocab": "teacher", "maxLength": {{Length}}, "queryColumn": "query", "documentColumn": "document" }
              },
              "teacher": { "sentenceEncoder": "minilm" },
              "stages": [ { "stage": "distill" }, { "stage": "export" } ]
            }
            """)!.AsObject();
        config["stages"]![0]!["settings"] = settings.DeepClone();
        return FastConfig.Write(config, Path.Combine(_folder, name));
    }

    private Run Distil(string name, JsonObject settings)
    {
        string config = Write(name, settings);
        string work = Path.Combine(_folder, name, "work");
        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", config, "--work-dir", work], _folder, TimeSpan.FromMinutes(4));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "result.json")));
        Assert.True(result.RootElement.GetProperty("passed").GetBoolean());
        var metrics = result.RootElement.GetProperty("metrics").EnumerateObject()
            .Where(m => m.Value.ValueKind == JsonValueKind.Number).ToDictionary(m => m.Name, m => m.Value.GetDouble());
        return new Run(outcome.Output, File.ReadAllText(Path.Combine(work, "report.md")), metrics);
    }

    private ProcessRunner.Outcome Validate(string config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", config], _folder, TimeSpan.FromMinutes(2));

    /// <summary>The 1-based line of the first line of the file holding the text.</summary>
    private static int LineOf(string path, string text) => Array.FindIndex(File.ReadAllLines(path), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private sealed record Run(string Output, string Report, IReadOnlyDictionary<string, double> Metrics)
    {
        public double Metric(string name) => Metrics.TryGetValue(name, out double value) ? value : throw new Xunit.Sdk.XunitException($"result.json has no metric '{name}'");

        public string Figures() => string.Create(CultureInfo.InvariantCulture,
            $"recall@10 {Metric("student.recall_at_10"):0.000} (difference to the teacher {Metric("student.recall_at_10_difference"):+0.000;-0.000}, 95% CI [{Metric("student.recall_at_10_difference_low"):+0.000;-0.000}, {Metric("student.recall_at_10_difference_high"):+0.000;-0.000}]), recall@1 {Metric("student.recall_at_1"):0.000}, cosine to the teacher {Metric("student.cosine_to_teacher"):0.0000}");
    }
}

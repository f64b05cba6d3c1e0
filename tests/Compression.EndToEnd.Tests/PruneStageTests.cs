using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>Issue 10's prune stage through `compress run` on a small CSV set: the teacher pruned as the first stage, its gate, and bad input.</summary>
public sealed class PruneStageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public PruneStageTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(5));

    private string WriteCsv(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < rows; i++)
        {
            int c = i % 3;
            double F(int f) => (f == c ? 2.0 : 0.0) + ((random.NextDouble() - 0.5) * 2.5);
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{F(0):0.###},{F(1):0.###},{F(2):0.###},{F(3):0.###},{c}\n"));
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, csv.ToString());
        return path.Replace("\\", "/", StringComparison.Ordinal);
    }

    private JsonObject Config(string pruneSettings, string budgets = """{ "minAccuracyRetention": 0.5 }""") => JsonNode.Parse($$"""
        {
          "data": {
            "format": "csv", "normalization": "standardize",
            "train": { "path": "{{WriteCsv("train.csv", 400, 1)}}" },
            "test": { "path": "{{WriteCsv("test.csv", 150, 2)}}" }
          },
          "teacher": {
            "model": { "input": [4], "layers": [ { "type": "linear", "out": 32, "name": "hidden" }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
            "training": { "epochs": 3, "batchSize": 32, "learningRate": 0.01 }
          },
          "stages": [
            { "stage": "prune", "settings": {{pruneSettings}} },
            { "stage": "export" }
          ],
          "budgets": {{budgets}}
        }
        """)!.AsObject();

    [Fact]
    public void Pruned_first_the_spec_teacher_ships_smaller_with_its_flops_in_the_summary_and_gated()
    {
        const string settings = """{ "targetFlopsRatio": 0.5, "steps": 2, "fineTuneEpochs": 1, "batchSize": 32, "learningRate": 0.01 }""";

        var passed = Run(Config(settings, """{ "minAccuracyRetention": 0.5, "maxFlops": 120, "maxParams": 200 }"""));

        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Matches(@"compress: FLOPs \(multiply-adds\) +224 +\d+ +\d+\.\d\dx fewer", passed.Output);
        Assert.Contains("prune round 2/2", passed.Output);

        var missed = Run(Config(settings, """{ "minAccuracyRetention": 0.5, "maxFlops": 50 }"""));

        Assert.True(missed.ExitCode == 1, missed.ToString());
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP3010: student needs \d+ multiply-adds per sample, above the budget 50", missed.Output);
    }

    [Fact]
    public void Prune_after_export_is_a_plan_error_at_the_stage()
    {
        JsonObject config = Config("""{ "targetFlopsRatio": 0.5 }""");
        config["stages"] = JsonNode.Parse("""[{ "stage": "export" }, { "stage": "prune", "settings": { "targetFlopsRatio": 0.5 } }]""");
        config["stages"]!.AsArray().Insert(0, JsonNode.Parse("""{ "stage": "distill", "settings": { "student": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] }, "epochs": 1 } }"""));

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP1007: stage 'prune' makes a new torch-model after 'export' \(stages\[1\]\)", outcome.Output);
    }

    [Fact]
    public void Bad_targets_and_names_exit_2_naming_their_field()
    {
        var ratio = Run(Config("""{ "targetFlopsRatio": 1.5 }"""));
        Assert.True(ratio.ExitCode == 2, ratio.ToString());
        Assert.Contains("error CMP1004: 'stages[0].settings.targetFlopsRatio': must be in (0, 1)", ratio.Output);

        var excluded = Run(Config("""{ "targetFlopsRatio": 0.5, "exclude": ["hiden"] }"""));
        Assert.True(excluded.ExitCode == 2, excluded.ToString());
        Assert.Matches($@"compression\.json\({LineOf("\"hiden\"")},\d+\): error CMP4001: .*no layer is named 'hiden'", excluded.Output);

        var empty = Run(Config("""{ "layers": { "hidden": 0.01 } }"""));
        Assert.True(empty.ExitCode == 2, empty.ToString());
        Assert.Matches($@"compression\.json\({LineOf("\"hidden\": 0.01")},\d+\): error CMP4001: .*rounds to none", empty.Output);
    }

    /// <summary>The 1-based line of the written compression.json that contains <paramref name="text"/>.</summary>
    private int LineOf(string text)
    {
        string[] lines = File.ReadAllLines(Path.Combine(_folder, "compression.json"));
        return Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;
    }
}

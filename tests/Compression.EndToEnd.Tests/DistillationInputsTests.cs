using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 8's inputs through `compress run` on a small CSV set: unlabelled transfer data, a labelled
/// subset, several teachers, repeats with the gain gate, and the bad input each of them can bring.
/// </summary>
public sealed class DistillationInputsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public DistillationInputsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProcessRunner.Outcome Run(JsonObject config, string workName = "work") =>
        ProcessRunner.Dotnet(
            [RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, workName)],
            _folder, TimeSpan.FromMinutes(5));

    /// <summary>Numeric features and a class column of <paramref name="classes"/> classes; no label column when classes is 0.</summary>
    private string WriteCsv(string name, int rows, int seed, int classes = 3)
    {
        var random = new Random(seed);
        var csv = new StringBuilder(classes > 0 ? "a,b,c,d,label\n" : "a,b,c,d\n");
        for (int i = 0; i < rows; i++)
        {
            int c = i % Math.Max(classes, 3);
            double F(int f) => (f == c ? 2.0 : 0.0) + ((random.NextDouble() - 0.5) * 2.5);
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{F(0):0.###},{F(1):0.###},{F(2):0.###},{F(3):0.###}"));
            csv.Append(classes > 0 ? string.Create(CultureInfo.InvariantCulture, $",{c}\n") : "\n");
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, csv.ToString());
        return path.Replace("\\", "/", StringComparison.Ordinal);
    }

    private JsonObject Config(int classes = 3) => JsonNode.Parse($$"""
        {
          "data": {
            "format": "csv", "normalization": "standardize",
            "train": { "path": "{{WriteCsv($"train{classes}.csv", 400, 1, classes)}}" },
            "test": { "path": "{{WriteCsv($"test{classes}.csv", 150, 2, classes)}}" }
          },
          "teacher": {
            "model": { "input": [4], "layers": [ { "type": "linear", "out": 32 }, { "type": "relu" }, { "type": "linear", "out": {{classes}} } ] },
            "training": { "epochs": 3, "batchSize": 32, "learningRate": 0.01 }
          },
          "stages": [
            { "stage": "distill", "settings": { "student": { "input": [4], "layers": [ { "type": "linear", "out": {{classes}} } ] }, "epochs": 2, "batchSize": 32, "learningRate": 0.01 } },
            { "stage": "export" }
          ],
          "budgets": { "minAccuracyRetention": 0.5 }
        }
        """)!.AsObject();

    private static JsonObject Distill(JsonObject config) => FastConfig.Stage(config, "distill")["settings"]!.AsObject();

    [Fact]
    public void A_labelled_subset_with_a_transfer_file_and_repeats_reports_the_gain_interval_and_gates_on_it()
    {
        JsonObject config = Config();
        config["data"]!["labeledCount"] = 30;
        config["data"]!["transfer"] = new JsonObject { ["path"] = WriteCsv("unlabelled.csv", 200, 3, classes: 0) };
        Distill(config)["repeats"] = 2;
        config["budgets"] = JsonNode.Parse("""{ "minDistillationGainPoints": 99 }""");

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains("30 labelled train + 530 unlabelled transfer", outcome.Output);
        Assert.Matches(@"KD gain [+-]\d+\.\d\d points \(95% CI [+-]\d+\.\d\d\.\.[+-]\d+\.\d\d, n=2; over seeds", outcome.Output);
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP3007: the KD gain's 95% interval starts at", outcome.Output);
    }

    [Fact]
    public void Two_teachers_are_combined_by_the_multi_teacher_method()
    {
        JsonObject config = Config();
        JsonNode teacher = config["teacher"]!.DeepClone();
        config.Remove("teacher");
        JsonNode wide = teacher.DeepClone();
        wide["model"]!["layers"]![0]!["out"] = 64;
        wide["name"] = "wide";
        wide["weight"] = 3;
        config["teachers"] = new JsonArray(teacher, wide);
        Distill(config)["method"] = "multi-teacher";

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("teacher1: training", outcome.Output);
        Assert.Contains("wide: training", outcome.Output);
        Assert.Contains("2 teacher(s)", File.ReadAllText(Path.Combine(_folder, "work", "report.md")));
    }

    [Fact]
    public void Teachers_that_disagree_on_the_number_of_classes_are_bad_input_at_the_teacher()
    {
        Assert.True(Run(Config(classes: 4), "four").ExitCode == 0);
        string fourClasses = Directory.EnumerateFiles(Path.Combine(_folder, "four", "cache"), "teacher.onnx", SearchOption.AllDirectories).First();
        JsonObject config = Config();
        config["teachers"] = new JsonArray(config["teacher"]!.DeepClone(), new JsonObject { ["onnx"] = fourClasses });
        config.Remove("teacher");

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP2004: teacher teacher\.onnx gives 4 scores per sample but the data has 3 classes", outcome.Output);
    }

    [Fact]
    public void A_labelled_count_beyond_the_training_rows_is_bad_input_that_states_the_range()
    {
        JsonObject config = Config();
        config["data"]!["labeledCount"] = 5000;

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("between 1 and 360", outcome.Output);
    }

    [Fact]
    public void A_shift_augmentation_on_tabular_data_is_bad_input_at_its_field()
    {
        JsonObject config = Config();
        Distill(config)["augment"] = new JsonObject { ["shift"] = 2 };

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("augment.shift", outcome.Output);
        Assert.Contains("applies to image samples [channels, height, width]; these samples are [4]", outcome.Output);
    }

    [Fact]
    public void Mixup_with_an_offline_teacher_is_bad_input_at_its_field()
    {
        JsonObject config = Config();
        Distill(config)["augment"] = new JsonObject { ["mixup"] = 0.4 };

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("augment.mixup", outcome.Output);
        Assert.Contains("needs \"teacherMode\": \"online\"", outcome.Output);
    }

    [Fact]
    public void Hiding_labels_from_the_students_reuses_the_teacher_trained_on_all_of_them()
    {
        JsonObject config = Config();
        Assert.True(Run(config).ExitCode == 0);
        config["data"]!["labeledCount"] = 60;

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("compress: teacher: reused from the cache", outcome.Output);
        Assert.Contains("60 labelled train + 300 unlabelled transfer", outcome.Output);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>The other kinds of input a user brings: a CSV data set, and a teacher given as an ONNX file.</summary>
public sealed class InputKindsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public InputKindsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProcessRunner.Outcome Run(string configPath) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work"), "--copy-model-to", Path.Combine(_folder, "out", "model.onnx")], _folder, TimeSpan.FromMinutes(5));

    /// <summary>Three classes named by strings, four numeric features, a header row.</summary>
    private string WriteCsv(string name, int rows, int seed)
    {
        var random = new Random(seed);
        string[] classes = ["setosa", "versicolor", "virginica"];
        var csv = new StringBuilder("a,b,species,c,d\n");
        for (int i = 0; i < rows; i++)
        {
            int c = i % 3;
            double F(int f) => (f == c ? 2.0 : 0.0) + ((random.NextDouble() - 0.5) * 1.6);
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{F(0):0.###},{F(1):0.###},{classes[c]},{F(2):0.###},{F(0) - F(1):0.###}\n"));
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private JsonObject CsvConfig() => JsonNode.Parse($$"""
        {
          "data": {
            "format": "csv", "labelColumn": "species", "normalization": "standardize",
            "train": { "path": "{{WriteCsv("train.csv", 600, 1).Replace("\\", "/", StringComparison.Ordinal)}}" },
            "test": { "path": "{{WriteCsv("test.csv", 150, 2).Replace("\\", "/", StringComparison.Ordinal)}}" }
          },
          "teacher": {
            "model": { "input": [4], "layers": [ { "type": "linear", "out": 64 }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
            "training": { "epochs": 5, "batchSize": 32, "learningRate": 0.01 }
          },
          "stages": [
            { "stage": "distill", "settings": { "student": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] }, "epochs": 5, "batchSize": 32, "learningRate": 0.01 } },
            { "stage": "export" }
          ],
          "budgets": { "minAccuracyRetention": 0.8, "maxModelBytes": 2000 }
        }
        """)!.AsObject();

    [Fact]
    public void A_csv_data_set_with_named_classes_runs_through_the_pipeline_and_gate()
    {
        string configPath = FastConfig.Write(CsvConfig(), _folder);
        var outcome = Run(configPath);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("compress: data: 540 train / 60 validation / 150 test samples of [4], 3 classes", outcome.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "out", "model.onnx")));
        Assert.True(File.Exists(Path.Combine(_folder, "work", "result.json")));
    }

    [Fact]
    public void A_teacher_given_as_an_onnx_file_is_used_as_a_black_box()
    {
        Assert.True(Run(FastConfig.Write(CsvConfig(), _folder)).ExitCode == 0);
        string teacher = Path.Combine(_folder, "teacher.onnx");
        File.Copy(Path.Combine(_folder, "out", "model.onnx"), teacher);

        JsonObject config = CsvConfig();
        config["teacher"] = new JsonObject { ["onnx"] = teacher };
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5 }""");
        var outcome = Run(FastConfig.Write(config, _folder));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("retention", outcome.Output);
    }

    [Fact]
    public void A_teacher_file_that_is_not_onnx_is_bad_input_at_the_teacher_field()
    {
        string teacher = Path.Combine(_folder, "teacher.onnx");
        File.WriteAllText(teacher, "not a model");
        JsonObject config = CsvConfig();
        config["teacher"] = new JsonObject { ["onnx"] = teacher };
        string configPath = FastConfig.Write(config, _folder);

        var outcome = Run(configPath);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(configPath)}\(\d+,\d+\): error CMP2003: the teacher is not a usable ONNX model", outcome.Output);
    }

    [Fact]
    public void A_teacher_whose_input_does_not_fit_the_data_is_a_shape_error()
    {
        Assert.True(Run(FastConfig.Write(CsvConfig(), _folder)).ExitCode == 0);
        string teacher = Path.Combine(_folder, "teacher.onnx");
        File.Copy(Path.Combine(_folder, "out", "model.onnx"), teacher);

        JsonObject config = FastConfig.Create();
        config["teacher"] = new JsonObject { ["onnx"] = teacher };
        var outcome = Run(FastConfig.Write(config, _folder));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2004: teacher teacher.onnx takes input [-1, 4] but samples have shape [1, 28, 28]", outcome.Output);
    }

    /// <summary>
    /// Issue 12: the shipped model once needed normalised input but carried no statistics, so an app
    /// feeding raw features got far lower accuracy than reported. Now it takes the raw CSV values.
    /// </summary>
    [Fact]
    public void The_shipped_model_takes_raw_features_and_scores_the_reported_accuracy()
    {
        var outcome = Run(FastConfig.Write(CsvConfig(), _folder));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());

        (double accuracy, IDictionary<string, string> metadata) = ShippedAccuracyOnRawTestFeatures();

        Assert.Equal(ReportedStudentAccuracy(), accuracy, 6);
        Assert.Contains(metadata, p => p.Key == "compression.input" && p.Value.Contains("raw features", StringComparison.Ordinal));
        Assert.Contains("The shipped model takes raw features", File.ReadAllText(Path.Combine(_folder, "work", "report.md")));
    }

    /// <summary>Issue 12 for a QDQ student with a temperature: scaled in its graph, it scores the reported accuracy on raw features too.</summary>
    [Fact]
    public void A_quantized_calibrated_shipped_model_takes_raw_features_and_scores_the_reported_accuracy()
    {
        JsonObject config = CsvConfig();
        config["data"]!["normalization"] = "scale";
        config["data"]!["scale"] = 0.25;
        config["stages"]!.AsArray().Add(JsonNode.Parse("""{ "stage": "quantize", "settings": { "shipInt8": "always" } }"""));
        config["stages"]!.AsArray().Add(JsonNode.Parse("""{ "stage": "calibrate" }"""));
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5 }""");
        var outcome = Run(FastConfig.Write(config, _folder));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());

        (double accuracy, IDictionary<string, string> metadata) = ShippedAccuracyOnRawTestFeatures();

        Assert.Equal(ReportedStudentAccuracy(), accuracy, 6);
        Assert.Equal("raw features; the graph multiplies them by 0.25", metadata["compression.input"]);
        var nodes = Compression.Onnx.OnnxModelFile.Read(Path.Combine(_folder, "out", "model.onnx")).Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal("Mul", nodes[0]);
        Assert.Contains("QuantizeLinear", nodes);
    }

    private double ReportedStudentAccuracy() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "work", "result.json")))!["metrics"]!["student.accuracy"]!.GetValue<double>();

    /// <summary>Top-1 accuracy of the copied model, run as an app would, on the test CSV's raw values; and its metadata.</summary>
    private (double Accuracy, IDictionary<string, string> Metadata) ShippedAccuracyOnRawTestFeatures()
    {
        string[] classes = ["setosa", "versicolor", "virginica"];
        var rows = File.ReadAllLines(Path.Combine(_folder, "test.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        float[] raw = rows.SelectMany(r => new[] { r[0], r[1], r[3], r[4] }.Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        int[] labels = rows.Select(r => Array.IndexOf(classes, r[2])).ToArray();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(_folder, "out", "model.onnx"));
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(raw, [rows.Count, 4]);
        using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input)]);
        float[] logits = results[0].AsEnumerable<float>().ToArray();
        double accuracy = Enumerable.Range(0, rows.Count).Count(i => Array.IndexOf(logits, logits.Skip(i * 3).Take(3).Max(), i * 3, 3) - (i * 3) == labels[i]) / (double)rows.Count;
        return (accuracy, session.ModelMetadata.CustomMetadataMap);
    }
}

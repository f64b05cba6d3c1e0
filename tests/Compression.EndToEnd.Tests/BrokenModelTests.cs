using System.Text.Json.Nodes;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Never pass a broken model (issue 16): settings that make every loss NaN or training diverge end in
/// exit 2 at the setting, never in exit 0 with a chance-level student nor in exit 3; a teacher whose
/// ONNX input fixes the batch to 1 (as many exported models do) runs through every stage.
/// </summary>
public sealed class BrokenModelTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ProcessRunner.Outcome Compress(JsonObject config, string name)
    {
        string configPath = FastConfig.Write(config, Path.Combine(_folder, name));
        return ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, name, "work")], _folder, TimeSpan.FromMinutes(10));
    }

    private static int LineOf(ProcessRunner.Outcome outcome, string code) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(outcome.Output, $@"compression\.json\((\d+),\d+\): error {code}").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0", "0", false)]
    [InlineData("-1", "1", false)]
    [InlineData("1e400", "1", false)]
    [InlineData("0", "0", true)]
    public void Multi_teacher_weights_that_are_not_finite_and_positive_are_exit_2_at_the_weight(string first, string second, bool quantize)
    {
        JsonObject config = FastConfig.Create();
        JsonNode teacher = config["teacher"]!.DeepClone();
        config.Remove("teacher");
        config["teachers"] = JsonNode.Parse($$"""[ { "name": "a", "weight": {{first}} }, { "name": "b", "weight": {{second}} } ]""");
        foreach (JsonNode? entry in config["teachers"]!.AsArray())
        {
            entry!["model"] = teacher["model"]!.DeepClone();
            entry["training"] = teacher["training"]!.DeepClone();
        }
        FastConfig.Stage(config, "distill")["settings"]!["method"] = "multi-teacher";
        if (!quantize)
        {
            config["stages"]!.AsArray().Remove(FastConfig.Stage(config, "quantize"));
        }

        var outcome = Compress(config, "weights");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches(@"error CMP1004: 'teachers\[0\]\.weight': must be between 1e-9 and 1e9, got (0|-1|Infinity)", outcome.Output);
        Assert.DoesNotContain("distill: running", outcome.Output);
    }

    [Fact]
    public void The_schemas_largest_learning_rate_ends_in_exit_2_at_the_learning_rate_not_a_chance_level_pass()
    {
        JsonObject config = FastConfig.Create();
        FastConfig.Stage(config, "distill")["settings"]!["learningRate"] = 10;
        FastConfig.Stage(config, "distill")["settings"]!["epochs"] = 2;

        var outcome = Compress(config, "lr10");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Matches(@"error (CMP4002: stage 'distill': training diverged|CMP4004: evaluate: the student answers class \d+ for)", outcome.Output);
        string[] lines = File.ReadAllLines(Path.Combine(_folder, "lr10", "compression.json"));
        Assert.Contains("\"learningRate\": 10", lines[LineOf(outcome, outcome.Output.Contains("CMP4002", StringComparison.Ordinal) ? "CMP4002" : "CMP4004") - 1]);
    }

    [Fact]
    public void A_teacher_whose_onnx_input_fixes_the_batch_to_1_runs_through_every_stage()
    {
        // A teacher from a first run, its input and output batch fixed to 1 as exporters often write them.
        JsonObject config = FastConfig.Create();
        var first = Compress(config, "spec");
        Assert.True(first.ExitCode == 0, first.ToString());
        string trained = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "spec", "work", "result.json")))!["teacherModel"]!.GetValue<string>();
        ModelProto model = OnnxModelFile.Read(trained);
        foreach (ValueInfoProto io in model.Graph.Input.Concat(model.Graph.Output))
        {
            io.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = 1 };
        }
        string fixedTeacher = Path.Combine(_folder, "fixed-batch-teacher.onnx");
        OnnxModelFile.Write(model, fixedTeacher);
        config["teacher"] = JsonNode.Parse($$"""{ "onnx": "{{fixedTeacher}}" }""");
        FastConfig.Stage(config, "quantize")["settings"]!["quantizeTeacher"] = true;

        var outcome = Compress(config, "fixed");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (string stage in new[] { "distill", "export", "quantize", "calibrate", "benchmark" })
        {
            Assert.Contains($"compress: {stage}: running", outcome.Output);
        }
        Assert.Matches(@"compress: benchmark: batch 64: teacher p50 \d+\.\d+ ms", outcome.Output);
    }
}

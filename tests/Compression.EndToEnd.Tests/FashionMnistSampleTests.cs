using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The Fashion-MNIST samples (issue 18) through the host's <c>validate</c>: their configs, data files,
/// budgets and plan check out against Debian's dataset-fashion-mnist, without the 10 minutes a build
/// takes. CI installs the package (.ci/run), so these run there; without it they fail saying so.
/// </summary>
public sealed class FashionMnistSampleTests : IDisposable
{
    private const string DataFolder = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] DataFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public FashionMnistSampleTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("FashionMnist", "distill -> export -> quantize -> calibrate -> benchmark")]
    [InlineData("FashionMnistFewLabels", "distill -> export -> benchmark")]
    public void The_sample_config_validates_against_the_installed_data(string sample, string plan)
    {
        RequireData();
        string config = Path.Combine(RepoPaths.Root, "samples", sample, "compression.json");

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", config], RepoPaths.Root, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains($"{config} is valid: {plan}", outcome.Output);
    }

    [Fact]
    public void The_budgets_hold_the_benchmark_to_the_issue_s_bar()
    {
        JsonNode full = Read("FashionMnist");
        JsonNode few = Read("FashionMnistFewLabels");

        // Issue 18: a student keeping >= 98% of a teacher that reaches >= 92%, with >= 10x fewer
        // parameters than the teacher's 824,458; with 1,000 labels, a KD gain of >= 5 points.
        Assert.True((double)full["budgets"]!["minAccuracyRetention"]! >= 0.98);
        Assert.True((int)full["budgets"]!["maxParams"]! * 10 <= 824_458);
        Assert.True((double)full["budgets"]!["minSpeedup"]! >= 2);
        foreach (JsonNode config in new[] { full, few })
        {
            JsonNode teacherBudget = config["budgets"]!["metrics"]!.AsArray().Single(m => (string?)m!["metric"] == "teacher.accuracy")!;
            Assert.True((double)teacherBudget["min"]! >= 0.92);
        }
        Assert.True((double)few["budgets"]!["minDistillationGainPoints"]! >= 5);
        Assert.Equal(1000, (int)few["data"]!["labeledCount"]!);
        Assert.Equal(3, (int)few["stages"]![0]!["settings"]!["repeats"]!);
    }

    [Fact]
    public void A_missing_data_file_is_exit_2_at_its_field_and_says_which_package_installs_it()
    {
        // The sample's own text with one path changed, so the finding's line and column are the sample's.
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "FashionMnist", "compression.json"));
        string missing = $"{DataFolder}/t10k-labels-idx1-ubyte.gz.absent";
        string path = Path.Combine(_folder, "compression.json");
        File.WriteAllText(path, text.Replace($"\"{DataFolder}/t10k-labels-idx1-ubyte.gz\"", $"\"{missing}\"", StringComparison.Ordinal));

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", path], _folder, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(
            $"compression.json(7,100): error CMP2002: data file not found: {missing}; /usr/share/datasets/ is where Debian's data set packages install their files: apt-get install dataset-fashion-mnist",
            outcome.Output);
    }

    private static JsonNode Read(string sample) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", sample, "compression.json")))!;

    private static void RequireData()
    {
        string[] absent = DataFiles.Select(f => Path.Combine(DataFolder, f)).Where(f => !File.Exists(f)).ToArray();
        Assert.True(absent.Length == 0,
            $"Fashion-MNIST is not installed ({string.Join(", ", absent)} missing): apt-get install dataset-fashion-mnist (.ci/run installs it; the samples read it from {DataFolder})");
    }
}

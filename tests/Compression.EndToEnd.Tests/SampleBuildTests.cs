using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Builds the MNIST sample for real through MSBuild, with a cheap copy of its config (via
/// -p:CompressionConfigFile) so a test takes seconds, not minutes.
/// </summary>
public sealed class SampleBuildTests : IDisposable
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

    private ProcessRunner.Outcome BuildSample(string configPath, params string[] extra) =>
        ProcessRunner.Dotnet(
            [
                "build", Path.Combine(RepoPaths.Sample, "MnistClassifier.csproj"), "--no-dependencies", "-c", RepoPaths.Configuration,
                $"-p:CompressionConfigFile={configPath}", $"-p:CompressionWorkDirectory={Path.Combine(_folder, "work")}/",
                $"-p:OutDir={Path.Combine(_folder, "bin")}/", .. extra,
            ],
            RepoPaths.Root);

    [Fact]
    public void An_impossible_budget_fails_the_build_with_CMP3001_at_the_budget_line()
    {
        JsonObject config = FastConfig.Create();
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 1.5 }""");
        string configPath = FastConfig.Write(config, _folder);
        int budgetLine = Array.FindIndex(File.ReadAllLines(configPath), l => l.Contains("\"minAccuracyRetention\"", StringComparison.Ordinal)) + 1;

        var outcome = BuildSample(configPath);

        Assert.True(outcome.ExitCode != 0, outcome.ToString());
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(configPath)}\({budgetLine},\d+\): error CMP3001: accuracy retention [0-9.]+ is below the budget 1\.5", outcome.Output);
        // Once from compress, then once more in MSBuild's own "Build FAILED" summary, as for any error.
        string[] lines = outcome.Output.Split('\n');
        int summary = Array.FindIndex(lines, l => l.StartsWith("Build FAILED", StringComparison.Ordinal));
        Assert.True(summary > 0, outcome.ToString());
        Assert.Single(lines[..summary], l => l.Contains("error CMP3001", StringComparison.Ordinal));
        Assert.Single(lines[summary..], l => l.Contains("error CMP3001", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("CompressionFailOnBudget=false", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_folder, "work", "compression.stamp")), "a failed gate must not leave the stamp that skips the next build");
    }

    [Fact]
    public void A_second_build_with_nothing_changed_skips_the_pipeline_and_a_config_change_reruns_only_later_stages()
    {
        string configPath = FastConfig.Write(FastConfig.Create(), _folder);

        var first = BuildSample(configPath, "-v:n");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("compress: distill: running", first.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "bin", "model.onnx")), "the student model is copied to the output folder");

        var second = BuildSample(configPath, "-v:n");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Skipping target \"CompressionRun\" because all output files are up-to-date", second.Output);
        Assert.DoesNotContain("compress: ", second.Output);

        JsonObject changed = FastConfig.Create();
        FastConfig.Stage(changed, "benchmark")["settings"]!["iterations"] = 12;
        FastConfig.Write(changed, _folder);
        var third = BuildSample(configPath, "-v:n");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("compress: distill: reused from the cache", third.Output);
        Assert.Contains("compress: export: reused from the cache", third.Output);
        Assert.Contains("compress: calibrate: reused from the cache", third.Output);
        Assert.Contains("compress: benchmark: running", third.Output);
    }

    [Fact]
    public void Fail_on_budget_false_turns_the_miss_into_a_warning()
    {
        JsonObject config = FastConfig.Create();
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 1.5 }""");
        string configPath = FastConfig.Write(config, _folder);

        var outcome = BuildSample(configPath, "-p:CompressionFailOnBudget=false");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("warning CMP3001", outcome.Output);
        Assert.DoesNotContain("CompressionFailOnBudget=false", outcome.Output); // already a warning: no hint
    }
}

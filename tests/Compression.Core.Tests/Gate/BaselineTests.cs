using System.Text;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BaselineTests
{
    private static Baseline Sample(int samples = 40, long bytes = 1000) =>
        new("ab12", [.. Enumerable.Range(0, samples).Select(i => i % 4 != 0)], bytes, new Dictionary<int, double[]> { [1] = [0.2, 0.21], [64] = [0.1] });

    [Fact]
    public void A_written_baseline_reads_back_with_its_samples_size_and_latency_runs()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Baseline written = Sample();
        written.Write(path);

        Baseline read = Baseline.Read(path);

        Assert.Equal(written.StudentCorrect, read.StudentCorrect);
        Assert.Equal(0.75, read.StudentAccuracy);
        Assert.Equal(("ab12", 1000L), (read.TestDataSha256, read.StudentModelBytes));
        Assert.Equal([0.2, 0.21], read.LatencyRatios[1]);
        Assert.Equal([0.1], read.LatencyRatios[64]);
        Assert.Contains("\"format\": 2", File.ReadAllText(path));
        Assert.Contains("\"correct\": \"0111", File.ReadAllText(path));
    }

    [Fact]
    public void A_baseline_of_the_older_format_is_CMP3103_naming_the_file_and_the_missing_format_field()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "compression.baseline.json");
        File.WriteAllText(path, """
            {
              "metrics": { "student.accuracy": 0.97, "student.model_bytes": 21000 }
            }
            """);

        var error = Assert.Throws<CompressionException>(() => Baseline.Read(path));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.BaselineOldFormat, finding.Code);
        Assert.Equal(path, finding.Location!.FilePath);
        Assert.Contains($"baseline file {path} has no 'format' field (it has 'metrics': the format of an older compress", finding.Message);
        Assert.Contains("--update-baseline", finding.Message);
        Assert.False(finding.IsBudgetMiss); // --warn-only must not downgrade it
        Assert.Equal($"{path}(1,1): error CMP3103: {finding.Message}", finding.ToCanonicalString(budgetMissesAsWarnings: true));
    }

    [Fact]
    public void A_format_this_version_does_not_read_is_CMP3103_at_the_format_value()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        File.WriteAllText(path, "{\n  \"format\": 3\n}");
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);
        Assert.Equal(ErrorCodes.BaselineOldFormat, finding.Code);
        Assert.Equal((2, 13), (finding.Location!.Line, finding.Location.Column));
        Assert.Contains("has 'format' 3; this compress reads format 2 only", finding.Message);
    }

    [Fact]
    public void Per_sample_results_that_do_not_match_the_sample_count_are_CMP3104_at_the_field()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Sample().Write(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"samples\": 40", "\"samples\": 41", StringComparison.Ordinal));

        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);

        Assert.Equal(ErrorCodes.BaselineMalformed, finding.Code);
        Assert.Contains("'student.correct' must hold one character '0' or '1' per test sample (41), got 40 characters", finding.Message);
        int line = File.ReadAllLines(path).ToList().FindIndex(l => l.Contains("\"correct\"", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, finding.Location!.Line);
    }

    [Fact]
    public void Invalid_json_is_CMP3104_at_the_syntax_error()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        File.WriteAllText(path, "{\n  \"format\": 2,,\n}");
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);
        Assert.Equal(ErrorCodes.BaselineMalformed, finding.Code);
        Assert.Equal(2, finding.Location!.Line);
    }
}

using System.Text;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BaselineTests
{
    private static Baseline Sample(TempFolder folder, int samples = 40, long bytes = 1000)
    {
        string model = MlpModels.Write(Path.Combine(folder.Path, "work", "student.onnx"), hidden: 8);
        return new("ab12", [.. Enumerable.Range(0, samples).Select(i => i % 4 != 0)], bytes, new BaselineModel(model, ContentHash.OfFile(model)));
    }

    [Fact]
    public void A_written_baseline_reads_back_with_its_samples_size_and_the_model_copied_beside_it()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Baseline written = Sample(folder);
        written.Write(path);

        Baseline read = Baseline.Read(path);

        Assert.Equal(written.StudentCorrect, read.StudentCorrect);
        Assert.Equal(0.75, read.StudentAccuracy);
        Assert.Equal(("ab12", 1000L), (read.TestDataSha256, read.StudentModelBytes));
        Assert.Equal(Path.Combine(folder.Path, "b.onnx"), read.Model!.Path);
        Assert.Equal(written.Model!.Sha256, read.Model.Sha256);
        Assert.Equal(File.ReadAllBytes(written.Model.Path), File.ReadAllBytes(read.Model.Path));
        string text = File.ReadAllText(path);
        Assert.Contains("\"format\": 3", text);
        Assert.Contains("\"file\": \"b.onnx\"", text);
        Assert.Contains("\"correct\": \"0111", text);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void A_format_2_baseline_still_reads_for_accuracy_and_size_but_keeps_no_model()
    {
        using var folder = new TempFolder();
        string path = folder.Write("b.json", """
            {
              "format": 2,
              "testData": { "sha256": "ab12", "samples": 4 },
              "student": { "accuracy": 0.75, "modelBytes": 21692, "correct": "0111" },
              "latency": [ { "batchSize": 1, "studentOverTeacher": [0.16, 0.17] } ]
            }
            """);

        Baseline read = Baseline.Read(path);

        Assert.Null(read.Model);
        Assert.Equal((0.75, 21692L), (read.StudentAccuracy, read.StudentModelBytes));
    }

    [Theory]
    [InlineData("\"0.75\"", "'student.accuracy' must be a number, the share of '1's in 'student.correct' (0.75)")]
    [InlineData("0.9", "'student.accuracy' is 0.9 but 'student.correct' gives 0.75 (30 of 40 right): the two contradict each other")]
    public void An_accuracy_that_is_a_string_or_contradicts_the_per_sample_record_is_CMP3104_at_the_field(string accuracy, string expected)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Sample(folder).Write(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"accuracy\": 0.75", $"\"accuracy\": {accuracy}", StringComparison.Ordinal));

        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);

        Assert.Equal(ErrorCodes.BaselineMalformed, finding.Code);
        Assert.Contains(expected, finding.Message);
        Assert.Equal(File.ReadAllLines(path).ToList().FindIndex(l => l.Contains("\"accuracy\"", StringComparison.Ordinal)) + 1, finding.Location!.Line);
    }

    [Fact]
    public void A_missing_or_changed_baseline_model_is_CMP3104_at_its_field()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Sample(folder).Write(path);
        string model = Path.Combine(folder.Path, "b.onnx");

        File.AppendAllText(model, "x");
        Finding changed = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);
        Assert.Equal(ErrorCodes.BaselineMalformed, changed.Code);
        Assert.Contains("'student.model.sha256' is ", changed.Message);
        Assert.Contains("the model was changed after the baseline was written", changed.Message);

        File.Delete(model);
        Finding missing = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);
        Assert.Contains($"'student.model.file' names {model}, which does not exist", missing.Message);
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
        File.WriteAllText(path, "{\n  \"format\": 4\n}");
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => Baseline.Read(path)).Findings);
        Assert.Equal(ErrorCodes.BaselineOldFormat, finding.Code);
        Assert.Equal((2, 13), (finding.Location!.Line, finding.Location.Column));
        Assert.Contains("has 'format' 4; this compress reads formats 2 and 3", finding.Message);
    }

    [Fact]
    public void Per_sample_results_that_do_not_match_the_sample_count_are_CMP3104_at_the_field()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "b.json");
        Sample(folder).Write(path);
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

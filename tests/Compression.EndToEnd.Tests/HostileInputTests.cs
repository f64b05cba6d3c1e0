using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>Issue 12 through the real host: input that once crashed or hung ends as exit 2 with a located message.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public HostileInputTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, _folder), "--work-dir", Path.Combine(_folder, "work")], _folder, TimeSpan.FromMinutes(2));

    [Fact]
    public void Dev_zero_as_the_training_images_is_CMP2005_at_the_field_not_an_out_of_memory_crash()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["train"]!["features"] = "/dev/zero";

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2005: 'data.train.features': /dev/zero is a character device: expected a regular IDX data file", outcome.Output);
    }

    [Fact]
    public void A_fifo_as_the_test_labels_is_CMP2005_in_validate_and_run_without_blocking_on_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo; the product runs on Linux x64.
        }
        string fifo = Path.Combine(_folder, "labels.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        JsonObject config = FastConfig.Create();
        config["data"]!["test"]!["labels"] = fifo;
        string configPath = FastConfig.Write(config, _folder);

        var validate = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", configPath], _folder, TimeSpan.FromMinutes(1));
        var run = Run(config);

        foreach (var outcome in new[] { validate, run })
        {
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains($"error CMP2005: 'data.test.labels': {fifo} is a FIFO: expected a regular IDX data file", outcome.Output);
        }
    }

    [Fact]
    public void A_validation_fraction_of_zero_is_refused_with_its_range()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["validationFraction"] = 0;

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("must be in (0, 0.9]", outcome.Output);
    }

    [Fact]
    public void A_batch_size_out_of_range_states_the_range()
    {
        JsonObject config = FastConfig.Create();
        FastConfig.Stage(config, "distill")["settings"]!["batchSize"] = 1_000_000_000;

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("must be between 1 and 1000000", outcome.Output);
    }

    [Fact]
    public void A_nul_character_in_a_data_path_is_bad_input_at_that_value()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["test"]!["labels"] = "labels\u0000.gz";

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP1004: 'data.test.labels' contains a NUL character", outcome.Output);
    }

    [Fact]
    public void A_teacher_spec_too_large_for_memory_fails_at_once_naming_the_layer_in_run_and_validate()
    {
        JsonObject config = FastConfig.Create();
        config["teacher"]!["model"]!["layers"]![1]!["out"] = 2_000_000_000;
        string configPath = FastConfig.Write(config, _folder);

        var run = Run(config);
        var validate = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", configPath], _folder, TimeSpan.FromMinutes(1));

        foreach (var outcome in new[] { run, validate })
        {
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains("error CMP1011: 'teacher.model': training this model at batch 128 needs about", outcome.Output);
            Assert.Contains("the largest part is teacher.model.layers[1] (linear, 2,000,000,000 outputs", outcome.Output);
        }
        Assert.DoesNotContain("teacher: training", run.Output);
    }

    [Fact]
    public void A_student_spec_beyond_max_model_memory_is_refused_at_its_layer()
    {
        JsonObject config = FastConfig.Create();
        config["maxModelMemoryMb"] = 1;

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP1011", outcome.Output);
        Assert.Contains("(maxModelMemoryMb 1)", outcome.Output);
    }

    [Fact]
    public void Validate_reports_missing_data_files_and_budgets_no_stage_measures()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["test"]!["labels"] = "missing-labels.gz";
        config["stages"]!.AsArray().RemoveAt(config["stages"]!.AsArray().Count - 1);
        config["budgets"] = JsonNode.Parse("""{ "minSpeedup": 2, "minDistillationGainPoints": 1 }""");
        string configPath = FastConfig.Write(config, _folder);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", configPath], _folder, TimeSpan.FromMinutes(1));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2002: data file not found", outcome.Output);
        Assert.Contains("error CMP1010: budget 'minSpeedup' cannot be judged: add a 'benchmark' stage", outcome.Output);
        Assert.Contains("error CMP1010: budget 'minDistillationGainPoints' cannot be judged", outcome.Output);
    }

    [Fact]
    public void Warn_only_downgrades_missed_budgets_but_never_config_errors()
    {
        JsonObject config = FastConfig.Create();
        FastConfig.Stage(config, "distill")["settings"]!["batchSize"] = 0;
        string configPath = FastConfig.Write(config, _folder);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work"), "--warn-only"], _folder, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP1004", outcome.Output);
        Assert.DoesNotContain("warning CMP1004", outcome.Output);
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("below-a-file")]
    public void A_copy_target_that_cannot_take_the_model_fails_before_the_run(string kind)
    {
        string target = Path.Combine(_folder, "out");
        Directory.CreateDirectory(target);
        if (kind == "below-a-file")
        {
            File.WriteAllText(Path.Combine(_folder, "a-file"), "");
            target = Path.Combine(_folder, "a-file", "model.onnx");
        }
        string configPath = FastConfig.Write(FastConfig.Create(), _folder);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work"), "--copy-model-to", target], _folder, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP1014: --copy-model-to", outcome.Output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "work", "cache")), "the run must not start");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("/proc/compression-work")]
    public void A_work_folder_that_cannot_be_used_is_an_environment_error_not_a_bug(string workDir)
    {
        if (workDir == "file")
        {
            workDir = Path.Combine(_folder, "a-file");
            File.WriteAllText(workDir, "");
        }
        string configPath = FastConfig.Write(FastConfig.Create(), _folder);

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", workDir], _folder, TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2010: the work folder", outcome.Output);
        Assert.DoesNotContain("internal error", outcome.Output);
    }
}

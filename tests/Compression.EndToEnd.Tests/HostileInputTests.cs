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
    public void Dev_zero_as_the_training_images_is_bad_input_not_an_out_of_memory_crash()
    {
        JsonObject config = FastConfig.Create();
        config["data"]!["train"]!["features"] = "/dev/zero";

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP2001: /dev/zero is not a regular file (a character device)", outcome.Output);
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
}

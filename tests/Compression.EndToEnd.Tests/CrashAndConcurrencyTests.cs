using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Issue 12: a run killed outright (SIGKILL: no handler runs) leaves a cache the rerun can trust, and
/// two runs on one work folder at once both finish with the same figures.
/// </summary>
public sealed class CrashAndConcurrencyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public CrashAndConcurrencyTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The fast MNIST config with a distill stage long enough to be killed in the middle of.</summary>
    private string Config(int distillEpochs)
    {
        JsonObject config = FastConfig.Create();
        FastConfig.Stage(config, "distill")["settings"]!["epochs"] = distillEpochs;
        config["stages"] = new JsonArray(FastConfig.Stage(config, "distill").DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""));
        return FastConfig.Write(config, _folder);
    }

    private static JsonNode Metrics(string work) => JsonNode.Parse(File.ReadAllText(Path.Combine(work, "result.json")))!["metrics"]!;

    [Fact]
    public void A_run_killed_during_a_stage_reruns_from_the_completed_stages_and_reproduces_the_uninterrupted_figures()
    {
        string config = Config(distillEpochs: 6);
        string killedWork = Path.Combine(_folder, "killed");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { RepoPaths.HostDll, "run", config, "--work-dir", killedWork })
        {
            info.ArgumentList.Add(argument);
        }
        var output = new StringBuilder();
        using var training = new ManualResetEventSlim();
        using (var process = new Process { StartInfo = info })
        {
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
                if (e.Data?.Contains("distill: [1/1]", StringComparison.Ordinal) == true && e.Data.Contains("epoch 2/6", StringComparison.Ordinal))
                {
                    training.Set();
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            Assert.True(training.Wait(TimeSpan.FromMinutes(3)), $"distillation never started:\n{output}");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var rerun = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", config, "--work-dir", killedWork], _folder, TimeSpan.FromMinutes(10));
        string cleanWork = Path.Combine(_folder, "clean");
        var clean = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", config, "--work-dir", cleanWork], _folder, TimeSpan.FromMinutes(10));

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("compress: teacher: reused from the cache", rerun.Output);
        Assert.Contains("compress: distill: running", rerun.Output);
        foreach (string metric in new[] { "student.accuracy", "teacher.accuracy", "distill.validation_accuracy" })
        {
            Assert.Equal(Metrics(cleanWork)[metric]!.GetValue<double>(), Metrics(killedWork)[metric]!.GetValue<double>(), 4);
        }
    }

    [Fact]
    public async Task Two_runs_on_one_work_folder_at_once_both_pass_with_the_same_figures()
    {
        string config = Config(distillEpochs: 1);
        for (int round = 0; round < 2; round++)
        {
            string work = Path.Combine(_folder, $"shared-{round}");
            var runs = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => ProcessRunner.Dotnet([RepoPaths.HostDll, "run", config, "--work-dir", work], _folder, TimeSpan.FromMinutes(5))))
                .ToArray();
            ProcessRunner.Outcome[] outcomes = await Task.WhenAll(runs);

            Assert.All(outcomes, r => Assert.True(r.ExitCode == 0, r.ToString()));
            Assert.Empty(Directory.GetDirectories(Path.Combine(work, "cache", ".tmp")));
        }
        Assert.Equal(Metrics(Path.Combine(_folder, "shared-0"))["student.accuracy"]!.GetValue<double>(),
            Metrics(Path.Combine(_folder, "shared-1"))["student.accuracy"]!.GetValue<double>(), 4);
    }
}

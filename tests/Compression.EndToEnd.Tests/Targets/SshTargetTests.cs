using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests.Targets;

/// <summary>
/// Issue 20: the sample's teacher and student benchmarked on an ssh target (a real sshd on 127.0.0.1
/// with a key and known_hosts made by the test), gated by a per-target budget; and the ways a device
/// fails (unreachable, a key it refuses, a host key we do not know, a runner killed mid-run, a
/// timeout) each end in exit 2 naming the target and leave nothing in the remote folder. The runs
/// share one work folder, so the sample trains once.
/// </summary>
[Trait("Category", "Targets")]
public sealed class SshTargetTests(SshServer sshd, SshTargetTests.Workspace workspace) : IClassFixture<SshServer>, IClassFixture<SshTargetTests.Workspace>
{
    /// <summary>The folder of the config and the shared work folder.</summary>
    public sealed class Workspace : IDisposable
    {
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "compression-e2e", "targets-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }

    private JsonObject Config(Action<JsonObject> target, string? budgets = null)
    {
        JsonObject config = FastConfig.Create();
        // Distil and export only: the targets measure the final student and the teacher themselves.
        var stages = config["stages"]!.AsArray();
        foreach (JsonNode? stage in stages.Where(s => s!["stage"]!.GetValue<string>() is not ("distill" or "export")).ToList())
        {
            stages.Remove(stage);
        }
        var edge = new JsonObject
        {
            ["name"] = "edge",
            ["kind"] = "ssh",
            ["host"] = "127.0.0.1",
            ["port"] = sshd.Port,
            ["identityFile"] = sshd.ClientKey,
            ["knownHostsFile"] = sshd.KnownHosts,
            ["remoteDirectory"] = sshd.RemoteDirectory,
            ["batchSizes"] = new JsonArray(1, 16),
            ["warmup"] = 2,
            ["iterations"] = 20,
            ["connectTimeoutSeconds"] = 5,
        };
        target(edge);
        config["targets"] = new JsonArray(edge);
        config["budgets"] = JsonNode.Parse(budgets ?? """{ "minAccuracyRetention": 0.5 }""");
        return config;
    }

    private (ProcessRunner.Outcome Outcome, string ConfigPath) Run(JsonObject config)
    {
        string path = FastConfig.Write(config, workspace.Folder);
        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", path, "--work-dir", Path.Combine(workspace.Folder, "work")], workspace.Folder, TimeSpan.FromMinutes(10));
        return (outcome, path);
    }

    private static int LineOf(string path, string text) => Array.FindIndex(File.ReadAllLines(path), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private void AssertRemoteFolderEmpty() =>
        Assert.True(Directory.GetFileSystemEntries(sshd.RemoteDirectory).Length == 0,
            $"left on the device: {string.Join(", ", Directory.GetFileSystemEntries(sshd.RemoteDirectory, "*", SearchOption.AllDirectories))}");

    [SshdFact]
    public void Teacher_and_student_are_benchmarked_over_ssh_and_gated_by_the_targets_budget()
    {
        const string Passing = """{ "minAccuracyRetention": 0.5, "targets": { "edge": { "maxP95LatencyMs": 10000, "minSpeedup": 0.0001 } } }""";
        var (passed, path) = Run(Config(_ => { }, Passing));
        Assert.True(passed.ExitCode == 0, passed.ToString());
        AssertRemoteFolderEmpty();
        using (var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(workspace.Folder, "work", "result.json"))))
        {
            JsonElement metrics = result.RootElement.GetProperty("metrics");
            foreach (string model in (string[])["teacher", "student"])
            {
                Assert.True(metrics.GetProperty($"edge.{model}.latency.p95_ms.batch16").GetDouble() > 0);
                Assert.True(metrics.GetProperty($"edge.{model}.throughput.batch1").GetDouble() > 0);
                Assert.True(metrics.GetProperty($"edge.{model}.memory_bytes").GetDouble() > 0);
            }
            Assert.True(metrics.GetProperty("edge.speedup.batch1").GetDouble() > 0);
            JsonElement target = result.RootElement.GetProperty("targets")[0];
            Assert.Equal("ssh", target.GetProperty("kind").GetString());
            Assert.Equal("linux-x64", target.GetProperty("rid").GetString());
            Assert.False(target.GetProperty("emulated").GetBoolean());
            JsonElement verdicts = result.RootElement.GetProperty("budgets");
            Assert.Contains(verdicts.EnumerateArray(), v => v.GetProperty("metric").GetString() == "edge.student.latency.p95_ms.batch1" && v.GetProperty("passed").GetBoolean());
        }
        Assert.Contains("edge: student", passed.Output);
        Assert.Contains("ssh 127.0.0.1:", passed.Output);

        var (failed, failedPath) = Run(Config(_ => { }, """
            {
              "minAccuracyRetention": 0.5,
              "targets": {
                "edge": { "maxP95LatencyMs": 0.000001 }
              }
            }
            """));
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains($"compression.json({LineOf(failedPath, "\"maxP95LatencyMs\"")},", failed.Output);
        Assert.Contains("error CMP3012: target 'edge': student p95 latency", failed.Output);
        AssertRemoteFolderEmpty();
    }

    [SshdFact]
    public void An_unreachable_host_fails_with_exit_2_at_the_target_before_anything_trains()
    {
        var (outcome, path) = Run(Config(t => t["port"] = SshServer.FreePort()));
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains($"compression.json({LineOf(path, "\"name\": \"edge\"")},", outcome.Output);
        Assert.Contains("error CMP4010: target 'edge': cannot reach ssh 127.0.0.1:", outcome.Output);
        Assert.DoesNotContain("compress: data: ", outcome.Output);
        AssertRemoteFolderEmpty();
    }

    [SshdFact]
    public void A_key_the_device_refuses_fails_with_exit_2_and_says_what_to_check()
    {
        var (outcome, _) = Run(Config(t => t["identityFile"] = sshd.StrangerKey));
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP4011: target 'edge': ssh 127.0.0.1:", outcome.Output);
        Assert.Contains("refused the login", outcome.Output);
        Assert.Contains("authorized_keys", outcome.Output);
        AssertRemoteFolderEmpty();
    }

    [SshdFact]
    public void An_unknown_host_key_is_refused_not_accepted()
    {
        string other = Path.Combine(workspace.Folder, "other_known_hosts");
        Directory.CreateDirectory(workspace.Folder);
        // The client's own public key posing as the host's: a key that is not the server's.
        File.WriteAllText(other, $"[127.0.0.1]:{sshd.Port} {File.ReadAllText(sshd.ClientKey + ".pub").Trim()}\n");
        var (outcome, _) = Run(Config(t => t["knownHostsFile"] = other));
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP4011: target 'edge': the host key of ssh 127.0.0.1:", outcome.Output);
        AssertRemoteFolderEmpty();
    }

    [SshdFact]
    public void A_runner_killed_mid_run_fails_with_exit_2_and_the_remote_folder_is_removed()
    {
        // Long enough to be caught running: the test kills it as soon as it appears.
        JsonObject config = Config(t => { t["iterations"] = 1_000_000; t["warmup"] = 0; });
        var run = Task.Run(() => Run(config));
        int? killed = null;
        for (int i = 0; i < 6000 && !run.IsCompleted && killed is null; i++)
        {
            killed = KillRunnerUnder(sshd.RemoteDirectory);
            Thread.Sleep(100);
        }
        var (outcome, _) = run.GetAwaiter().GetResult();
        Assert.True(killed is not null, "the runner was never seen running: " + outcome);
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP4014: target 'edge': the runner was killed by signal 9 mid-run", outcome.Output);
        AssertRemoteFolderEmpty();
    }

    [SshdFact]
    public void A_run_past_the_timeout_fails_with_exit_2_and_the_remote_runner_is_stopped()
    {
        var (outcome, _) = Run(Config(t => { t["iterations"] = 1_000_000; t["warmup"] = 0; t["timeoutSeconds"] = 5; }));
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("error CMP4013: target 'edge':", outcome.Output);
        Assert.Contains("timeoutSeconds (5 s)", outcome.Output);
        AssertRemoteFolderEmpty();
        Assert.Null(RunnerUnder(sshd.RemoteDirectory));
    }

    /// <summary>The runner process started from under <paramref name="folder"/> (found by its command line, which names the test's unique folder), or null.</summary>
    private static int? RunnerUnder(string folder)
    {
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid))
            {
                continue;
            }
            try
            {
                string[] argv = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                if (argv.Length > 1 && argv[0].StartsWith(folder + "/", StringComparison.Ordinal) && argv[0].EndsWith("/compression-runner", StringComparison.Ordinal) && argv[1] == "bench")
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return null;
    }

    private static int? KillRunnerUnder(string folder)
    {
        if (RunnerUnder(folder) is not int pid)
        {
            return null;
        }
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
        return pid;
    }
}

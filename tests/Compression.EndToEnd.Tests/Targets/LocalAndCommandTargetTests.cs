using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests.Targets;

/// <summary>
/// Issue 20 without a network: a local profile of this machine beside the linux-arm64 runner under
/// QEMU user-mode emulation (figures labelled emulated), and a command target that speaks the runner
/// protocol (here a script that runs our published runner, as an adb script would on a phone).
/// The runs share one work folder, so the sample trains once.
/// </summary>
[Trait("Category", "Targets")]
public sealed class LocalAndCommandTargetTests(SshTargetTests.Workspace workspace) : IClassFixture<SshTargetTests.Workspace>
{
    private JsonObject Config(params JsonObject[] targets)
    {
        JsonObject config = FastConfig.Create();
        var stages = config["stages"]!.AsArray();
        foreach (JsonNode? stage in stages.Where(s => s!["stage"]!.GetValue<string>() is not ("distill" or "export")).ToList())
        {
            stages.Remove(stage);
        }
        config["targets"] = new JsonArray([.. targets]);
        return config;
    }

    private static JsonObject Target(string name, string kind) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["batchSizes"] = new JsonArray(1, 8),
        ["warmup"] = 1,
        ["iterations"] = 10,
    };

    private ProcessRunner.Outcome Run(JsonObject config) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", FastConfig.Write(config, workspace.Folder), "--work-dir", Path.Combine(workspace.Folder, "work")], workspace.Folder, TimeSpan.FromMinutes(10));

    private JsonDocument Result() => JsonDocument.Parse(File.ReadAllText(Path.Combine(workspace.Folder, "work", "result.json")));

    [QemuFact]
    public void A_local_profile_and_the_arm64_runner_under_emulation_are_measured_side_by_side_and_labelled()
    {
        JsonObject local = Target("here", "local");
        local["intraOpThreads"] = 2;
        local["graphOptimization"] = "basic";
        JsonObject arm = Target("arm", "local");
        arm["rid"] = "linux-arm64";
        var outcome = Run(Config(local, arm));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());

        using JsonDocument result = Result();
        JsonElement metrics = result.RootElement.GetProperty("metrics");
        var targets = result.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["here", "arm"], targets.Select(t => t.GetProperty("name").GetString()));
        Assert.False(targets[0].GetProperty("emulated").GetBoolean());
        Assert.Equal(2, targets[0].GetProperty("threads").GetInt32());
        Assert.Equal("basic", targets[0].GetProperty("graphOptimization").GetString());
        // The runner itself says what it ran as: arm64 code, under QEMU.
        Assert.True(targets[1].GetProperty("emulated").GetBoolean());
        Assert.Equal("linux-arm64", targets[1].GetProperty("rid").GetString());
        Assert.Equal("Arm64", targets[1].GetProperty("architecture").GetString());
        Assert.True(metrics.GetProperty("arm.student.latency.p50_ms.batch8").GetDouble() > 0);
        Assert.True(metrics.GetProperty("here.student.memory_bytes").GetDouble() > 0);
        // Under emulation QEMU's own memory would be counted: not measured.
        Assert.False(metrics.TryGetProperty("arm.student.memory_bytes", out _));
        Assert.Contains("EMULATED: these figures show that the path works on that architecture, not its speed", outcome.Output);
        Assert.Contains("arm: teacher", outcome.Output);
    }

    [Fact]
    public void A_command_target_that_speaks_the_protocol_is_measured()
    {
        string script = Path.Combine(workspace.Folder, "bench.sh");
        Directory.CreateDirectory(workspace.Folder);
        // What a device script does: take the runner's folder and the protocol's arguments, run it, relay its JSON.
        File.WriteAllText(script, "#!/bin/sh\nrunner=\"$1\"; shift\necho 'preparing the device' >&2\nexec \"$runner/compression-runner\" \"$@\"\n");
        JsonObject lab = Target("lab", "command");
        lab["command"] = new JsonArray("/bin/sh", script, "{runner}");
        var outcome = Run(Config(lab));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("targets: lab: preparing the device", outcome.Output);
        using JsonDocument result = Result();
        Assert.True(result.RootElement.GetProperty("metrics").GetProperty("lab.speedup.batch8").GetDouble() > 0);
        Assert.Equal("command", result.RootElement.GetProperty("targets")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void A_command_that_does_not_speak_the_protocol_fails_with_exit_2_at_the_target()
    {
        JsonObject lab = Target("lab", "command");
        lab["command"] = new JsonArray("/bin/echo", "all good");
        JsonObject config = Config(lab);
        string path = FastConfig.Write(config, workspace.Folder);
        var outcome = Run(config);
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        int line = Array.FindIndex(File.ReadAllLines(path), l => l.Contains("\"name\": \"lab\"", StringComparison.Ordinal)) + 1;
        Assert.Contains($"compression.json({line},", outcome.Output);
        Assert.Contains("error CMP4014: target 'lab': the runner's answer cannot be read: it printed no JSON object on stdout (it printed: all good bench --model teacher=", outcome.Output);
    }
}

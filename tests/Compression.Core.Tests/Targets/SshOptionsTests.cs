using Compression.Core.Config;
using Compression.Core.Targets;

namespace Compression.Core.Tests.Targets;

public class SshOptionsTests
{
    private static readonly TargetConfig s_target = new()
    {
        Name = "edge", Kind = "ssh", Host = "pi.local", User = "pi", Port = 2222, IdentityFile = "keys/id", KnownHostsFile = "kh", ConnectTimeoutSeconds = 7,
    };

    [Fact]
    public void Ssh_never_prompts_bounds_the_connection_and_keeps_host_key_checking_as_configured()
    {
        var arguments = new SshOptions(s_target, "/cfg").Ssh("uname -m");
        string line = string.Join(' ', arguments);
        Assert.Contains("-o BatchMode=yes", line);
        Assert.Contains("-o ConnectTimeout=7", line);
        Assert.Contains("-o ServerAliveInterval=5", line);
        Assert.Contains("-o ServerAliveCountMax=3", line);
        Assert.Contains("-i /cfg/keys/id -o IdentitiesOnly=yes", line);
        Assert.Contains("-o UserKnownHostsFile=/cfg/kh", line);
        Assert.DoesNotContain("StrictHostKeyChecking", line);
        Assert.Equal(["-p", "2222", "-l", "pi", "--", "pi.local", "uname -m"], arguments.TakeLast(7));
    }

    [Fact]
    public void Scp_gives_the_port_its_own_way_and_the_destination_as_user_at_host()
    {
        var arguments = new SshOptions(s_target, "/cfg").Scp(["/r", "/m"], "/tmp/x", legacy: true);
        Assert.Contains("-O", arguments);
        Assert.Equal(["-P", "2222", "--", "/r", "/m", "pi@pi.local:/tmp/x/"], arguments.TakeLast(6));
        var v6 = new SshOptions(new TargetConfig { Name = "e", Kind = "ssh", Host = "::1" }, "/").Scp(["/r"], "/t", legacy: false);
        Assert.Equal("[::1]:/t/", v6[^1]);
        Assert.DoesNotContain("-O", v6);
    }

    [Theory]
    [InlineData("/tmp/a", "'/tmp/a'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(rm -rf ~)", "'$(rm -rf ~)'")]
    public void Words_for_the_remote_shell_are_single_quoted(string text, string quoted) =>
        Assert.Equal(quoted, SshOptions.Quote(text));

    [Fact]
    public void The_remote_script_traps_exit_to_kill_the_runner_and_remove_its_folder()
    {
        string script = SshTarget.Script("/tmp/c.1", "/tmp/c.1/r/compression-runner", ["bench", "--model", "teacher=/tmp/c.1/models/teacher.onnx"]);
        Assert.StartsWith("F='/tmp/c.1'; ", script);
        Assert.Contains("trap cleanup EXIT;", script);
        Assert.Contains("rm -rf -- \"$F\"", script);
        Assert.Contains("'/tmp/c.1/r/compression-runner' 'bench' '--model' 'teacher=/tmp/c.1/models/teacher.onnx' </dev/null & pid=$!", script);
        Assert.EndsWith("wait \"$pid\"; s=$?; pid=; exit $s", script);
    }

    [Theory]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("aarch64", "linux-arm64")]
    [InlineData("arm64\n", "linux-arm64")]
    [InlineData("armv7l", null)]
    [InlineData("riscv64", null)]
    public void A_devices_uname_picks_the_runners_rid(string machine, string? rid) =>
        Assert.Equal(rid, RuntimeIdentifiers.FromUname(machine));

    [Fact]
    public void A_key_path_is_relative_to_the_config_or_to_home_with_a_tilde()
    {
        Assert.Equal("/cfg/keys/id", SshOptions.Resolve("keys/id", "/cfg"));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh/id_ed25519"), SshOptions.Resolve("~/.ssh/id_ed25519", "/cfg"));
    }
}

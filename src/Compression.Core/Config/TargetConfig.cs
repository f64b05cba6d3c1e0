using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Core.Config;

/// <summary>
/// One entry of <c>targets</c>: a device (or a profile of this machine) on which teacher and student
/// are benchmarked side by side by the runner program, with budgets of its own under <c>budgets.targets</c>.
/// </summary>
public sealed class TargetConfig
{
    [Description("The target's name: letters, digits, '-' and '_', starting with a letter. Its metrics are named after it (\"edge.student.latency.p95_ms.batch1\") and budgets.targets refers to it.")]
    public string? Name { get; set; }

    [Description("How to reach it: \"local\" (this machine, with its own threads, execution provider and optimisation level; a foreign \"rid\" runs under user-mode emulation), \"ssh\" (a device over the system's OpenSSH client) or \"command\" (a program that speaks the runner protocol, for adb, a lab farm, ...).")]
    public string Kind { get; set; } = "local";

    [Range(1, 1024, ErrorMessage = "must be between 1 and 1024")]
    [Description("ONNX Runtime intra-op threads on the target.")]
    public int IntraOpThreads { get; set; } = 1;

    [Description("ONNX Runtime execution provider: \"cpu\" (default) or one ONNX Runtime registers by name in the runner's build (e.g. \"XNNPACK\"); the runner fails with the list of available ones otherwise.")]
    public string ExecutionProvider { get; set; } = "cpu";

    [Description("ONNX Runtime graph optimisation level: \"disabled\", \"basic\", \"extended\" or \"all\".")]
    public string GraphOptimization { get; set; } = "all";

    [Description("Batch sizes to measure; budgets.targets refer to one of them.")]
    public int[] BatchSizes { get; set; } = [1, 64];

    [Range(0, 100_000, ErrorMessage = "must be between 0 and 100000")]
    [Description("Untimed runs per model and batch size before measuring.")]
    public int Warmup { get; set; } = 20;

    [Range(5, 1_000_000, ErrorMessage = "must be between 5 and 1000000")]
    [Description("Timed runs per model and batch size (teacher and student interleaved).")]
    public int Iterations { get; set; } = 200;

    [Description("The runner's runtime identifier: \"linux-x64\" or \"linux-arm64\". Default: ssh asks the device (`uname -m`), local uses this machine's. A local target with a foreign rid runs under QEMU user-mode emulation and its figures are labelled emulated.")]
    public string? Rid { get; set; }

    [Description("ssh: the host name or address (an alias of ~/.ssh/config works: its settings apply).")]
    public string? Host { get; set; }

    [Description("ssh: the user name; default: as ~/.ssh/config or the current user.")]
    public string? User { get; set; }

    [Range(1, 65535, ErrorMessage = "must be between 1 and 65535")]
    [Description("ssh: the port; default: as ~/.ssh/config or 22.")]
    public int? Port { get; set; }

    [Description("ssh: a private key file (relative to this file, or ~/...); default: the SSH agent and ~/.ssh/config.")]
    public string? IdentityFile { get; set; }

    [Description("ssh: a known_hosts file to check the host key against (relative to this file, or ~/...), instead of the user's. Host key checking itself is never turned off.")]
    public string? KnownHostsFile { get; set; }

    [Description("ssh: the folder on the device under which the temporary folder is made (default: the device's $TMPDIR or /tmp); it is removed after the run.")]
    public string? RemoteDirectory { get; set; }

    [Description("command: the program and its first arguments, e.g. [\"./adb-bench.sh\", \"--serial\", \"X\"]; the runner protocol's arguments (--model NAME=PATH ... --batch N ...) are appended and it must print the protocol's JSON on stdout.")]
    public List<string>? Command { get; set; }

    [Range(5, 86_400, ErrorMessage = "must be between 5 and 86400")]
    [Description("The most seconds the whole benchmark on this target may take (copying, running, reading back); past it the run is stopped, the device cleaned up, and the build fails with exit 2.")]
    public int TimeoutSeconds { get; set; } = 600;

    [Range(1, 600, ErrorMessage = "must be between 1 and 600")]
    [Description("ssh: seconds to wait for the connection (ssh's ConnectTimeout); an unreachable device fails after it.")]
    public int ConnectTimeoutSeconds { get; set; } = 10;
}

using Compression.Abstractions.Diagnostics;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// This machine with a profile of its own (threads, execution provider, optimisation level), measured
/// by the published runner in a process of its own. A declared foreign <c>rid</c> (linux-arm64 on an
/// x64 machine) runs the runner under QEMU user-mode emulation: through binfmt_misc when the kernel
/// has QEMU registered, else by starting qemu-ARCH-static explicitly; its figures are labelled emulated.
/// </summary>
public sealed class LocalTarget(TargetConfig config) : BenchmarkTarget(config)
{
    private const string BinfmtFolder = "/proc/sys/fs/binfmt_misc";
    private string? _runner;
    private string? _emulator;
    private string? _sysroot;

    public override string Describe() => Emulated ? $"this machine, {Rid} under QEMU user-mode emulation" : "this machine";

    public override async Task PrepareAsync(RunnerPublisher publisher, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string host = RuntimeIdentifiers.Host
            ?? throw new TargetException(ErrorCodes.TargetRuntimeMissing, $"target '{Name}': the runner is published for Linux x64 and arm64 only, not for this machine");
        Rid = Config.Rid ?? host;
        if (Rid != host)
        {
            Emulated = true;
            var (arch, sysroot) = RuntimeIdentifiers.Emulation(Rid);
            _sysroot = sysroot;
            if (!Directory.Exists(sysroot))
            {
                throw new TargetException(ErrorCodes.TargetRuntimeMissing,
                    $"target '{Name}': emulating {Rid} needs that architecture's C and C++ libraries in {sysroot}: apt-get install -y qemu-user-static libc6-{DebianArch(Rid)}-cross libstdc++6-{DebianArch(Rid)}-cross");
            }
            // With binfmt_misc registered the kernel starts QEMU itself; without it (containers often lack it) we do.
            _emulator = File.Exists(Path.Combine(BinfmtFolder, $"qemu-{arch}")) ? null
                : FindOnPath($"qemu-{arch}-static") ?? FindOnPath($"qemu-{arch}")
                ?? throw new TargetException(ErrorCodes.TargetRuntimeMissing,
                    $"target '{Name}': emulating {Rid} needs QEMU user-mode emulation: apt-get install -y qemu-user-static (no qemu-{arch}-static on PATH and no binfmt_misc registration)");
        }
        _runner = Path.Combine(await publisher.PublishAsync(Rid, progress, cancellationToken).ConfigureAwait(false), RunnerPublisher.ExecutableName);
    }

    public override async Task<RunnerReport> MeasureAsync(IReadOnlyList<(string Name, string Path)> models, int seed, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string runner = _runner ?? throw new InvalidOperationException("PrepareAsync first");
        // Under emulation the emulator's own memory would be counted: peak memory is not measured there.
        var request = new RunnerRequest(models, Config, seed, MeasureMemory: !Emulated);
        var arguments = new List<string>();
        string program = runner;
        if (_emulator is not null)
        {
            program = _emulator;
            arguments.AddRange(["-L", _sysroot!, runner]);
        }
        arguments.AddRange(request.Arguments());
        var environment = new Dictionary<string, string>();
        if (Emulated)
        {
            environment["QEMU_LD_PREFIX"] = _sysroot!;
        }
        progress.Report($"targets: {Name}: benchmarking teacher and student on {Describe()}");
        var outcome = await BoundedProcess.RunAsync(program, arguments, Timeout, cancellationToken, environment).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw RunnerFailed(outcome, "on this machine");
        }
        return RunnerReport.Parse(outcome.Stdout, request, Name);
    }

    private static string DebianArch(string rid) => rid == RuntimeIdentifiers.LinuxArm64 ? "arm64" : "amd64";

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}

using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// One entry of <c>targets</c>, reachable its own way. <see cref="PrepareAsync"/> runs before the
/// pipeline trains anything (it reaches the device and publishes the runner, so an unreachable host
/// fails in seconds); <see cref="MeasureAsync"/> runs the runner on teacher and student and leaves
/// nothing behind on the device.
/// </summary>
public abstract class BenchmarkTarget(TargetConfig config)
{
    public TargetConfig Config { get; } = config;

    public string Name => Config.Name!;

    /// <summary>The runner's runtime identifier, known after <see cref="PrepareAsync"/> (null for a command target that brings its own runner).</summary>
    public string? Rid { get; protected set; }

    /// <summary>Whether the runner runs under user-mode emulation, so its figures show that the path works, not the device's speed.</summary>
    public bool Emulated { get; protected set; }

    /// <summary>Where it runs, for reports: "this machine", "ssh pi@edge:22", the command.</summary>
    public abstract string Describe();

    public abstract Task PrepareAsync(RunnerPublisher publisher, IProgress<string> progress, CancellationToken cancellationToken);

    public abstract Task<RunnerReport> MeasureAsync(IReadOnlyList<(string Name, string Path)> models, int seed, IProgress<string> progress, CancellationToken cancellationToken);

    /// <summary>The deadline of the whole measurement.</summary>
    protected TimeSpan Timeout => TimeSpan.FromSeconds(Config.TimeoutSeconds);

    /// <summary>What a failed local runner's exit says, as a <see cref="TargetException"/>.</summary>
    protected TargetException RunnerFailed(BoundedProcess.Outcome outcome, string where)
    {
        if (outcome.TimedOut)
        {
            return new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetTimedOut,
                $"target '{Name}': the benchmark took longer than timeoutSeconds ({Config.TimeoutSeconds} s) {where} and was stopped; raise timeoutSeconds or lower iterations/batchSizes");
        }
        string stderr = RunnerReport.Clip(outcome.Stderr);
        if (outcome.ExitCode is 126 or 127 || outcome.Stderr.Contains("error while loading shared libraries", StringComparison.Ordinal)
            || outcome.Stderr.Contains("GLIBC_", StringComparison.Ordinal) || outcome.Stderr.Contains("Exec format error", StringComparison.Ordinal))
        {
            return new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRuntimeMissing,
                $"target '{Name}': the runner cannot start {where} (exit {outcome.ExitCode}: {stderr}); it needs glibc 2.27+ and libstdc++ (ONNX Runtime's natives) on a {Rid ?? "Linux"} device: install them, or declare the device's \"rid\"");
        }
        if (outcome.ExitCode > 128 && outcome.ExitCode < 160)
        {
            return new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRunFailed,
                $"target '{Name}': the runner was killed by signal {outcome.ExitCode - 128} mid-run {where} (out of memory on the device? another process?){(stderr.Length == 0 ? "" : $": {stderr}")}; re-run, or lower batchSizes");
        }
        return new TargetException(Abstractions.Diagnostics.ErrorCodes.TargetRunFailed,
            $"target '{Name}': the runner failed {where} (exit {outcome.ExitCode}){(stderr.Length == 0 ? "" : $": {stderr}")}");
    }
}

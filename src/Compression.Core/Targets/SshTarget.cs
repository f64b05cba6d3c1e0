using Compression.Abstractions.Diagnostics;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// A device over SSH: asks its architecture (`uname -m`) unless <c>rid</c> is declared, publishes the
/// runner for it, then per measurement makes a temporary folder there (mktemp -d), copies the runner
/// and the two models into it (scp), runs the runner under a shell whose EXIT trap removes the folder
/// (and kills the runner if the shell is signalled), reads its JSON back, and removes the folder from
/// our side too, whatever happened. Every step has a deadline: the connection's ConnectTimeout,
/// keep-alives that notice a lost device within 15 s, and the target's timeoutSeconds for the whole.
/// </summary>
public sealed class SshTarget(TargetConfig config, string configDirectory) : BenchmarkTarget(config)
{
    private readonly SshOptions _ssh = new(config, configDirectory);
    private string? _runnerFolder;

    /// <summary>The deadline of a short command (uname, mktemp, rm): the connection's plus a margin.</summary>
    private TimeSpan ShortStep => TimeSpan.FromSeconds(Config.ConnectTimeoutSeconds + 30);

    public override string Describe() => _ssh.Describe();

    public override async Task PrepareAsync(RunnerPublisher publisher, IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report($"targets: {Name}: connecting ({Describe()})");
        var outcome = await SshAsync("uname -m", ShortStep, cancellationToken).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw Failed(outcome, "asking its architecture (uname -m)");
        }
        string machine = outcome.Stdout.Trim();
        Rid = Config.Rid ?? RuntimeIdentifiers.FromUname(machine)
            ?? throw new TargetException(ErrorCodes.TargetRuntimeMissing,
                $"target '{Name}': the device's architecture '{machine}' (uname -m) has no published runner; the runner is published for {string.Join(" and ", RuntimeIdentifiers.Supported)}");
        _runnerFolder = await publisher.PublishAsync(Rid, progress, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<RunnerReport> MeasureAsync(IReadOnlyList<(string Name, string Path)> models, int seed, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string runnerFolder = _runnerFolder ?? throw new InvalidOperationException("PrepareAsync first");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        string? remote = null;
        string staging = Path.Combine(Path.GetTempPath(), $"compression-target-{Guid.NewGuid():N}");
        try
        {
            string parent = Config.RemoteDirectory is string declared ? SshOptions.Quote(declared) : "\"${TMPDIR:-/tmp}\"";
            var made = await SshAsync($"mktemp -d {parent}/compression-runner.XXXXXX", ShortStep, deadline.Token).ConfigureAwait(false);
            if (made.ExitCode != 0)
            {
                throw made.ExitCode == 255 ? Failed(made, "making a temporary folder")
                    : new TargetException(ErrorCodes.TargetRuntimeMissing, $"target '{Name}': cannot make a temporary folder with mktemp -d under {(Config.RemoteDirectory ?? "$TMPDIR or /tmp")} ({RunnerReport.Clip(made.Stderr)}); set remoteDirectory to a writable folder");
            }
            remote = made.Stdout.Trim();

            // Each model goes to models/NAME/ with its external-data files, at their paths relative to it.
            string modelsFolder = Path.Combine(staging, "models");
            var remoteModels = new List<(string Name, string Path)>();
            foreach (var (name, path) in models)
            {
                Stage(path, Path.Combine(modelsFolder, name));
                remoteModels.Add((name, $"{remote}/models/{name}/{Path.GetFileName(path)}"));
            }
            progress.Report($"targets: {Name}: copying the runner ({Rid}) and the models to {Describe()}:{remote}");
            var copied = await BoundedProcess.RunAsync("scp", _ssh.Scp([runnerFolder, modelsFolder], remote, legacy: false), Timeout, deadline.Token).ConfigureAwait(false);
            if (copied.ExitCode != 0 && copied.Stderr.Contains("Connection closed", StringComparison.Ordinal) && !copied.Stderr.Contains("Permission denied", StringComparison.Ordinal))
            {
                // scp speaks SFTP since OpenSSH 9; a device without an sftp-server (dropbear, a trimmed image) takes the legacy protocol (-O).
                copied = await BoundedProcess.RunAsync("scp", _ssh.Scp([runnerFolder, modelsFolder], remote, legacy: true), Timeout, deadline.Token).ConfigureAwait(false);
            }
            if (copied.ExitCode != 0)
            {
                throw copied.TimedOut ? TimedOut("copying the runner and the models") : Failed(copied, "copying the runner and the models (scp)");
            }

            var request = new RunnerRequest(remoteModels, Config, seed, MeasureMemory: true);
            string runner = $"{remote}/{Path.GetFileName(runnerFolder)}/{RunnerPublisher.ExecutableName}";
            progress.Report($"targets: {Name}: benchmarking teacher and student on {Describe()}");
            var ran = await SshAsync(Script(remote, runner, request.Arguments()), Timeout, deadline.Token).ConfigureAwait(false);
            if (ran.TimedOut)
            {
                throw TimedOut("running the benchmark");
            }
            if (ran.ExitCode == 255)
            {
                throw Failed(ran, "running the benchmark (the connection was lost mid-run)");
            }
            if (ran.ExitCode != 0)
            {
                throw RunnerFailed(ran, $"on {Describe()}");
            }
            return RunnerReport.Parse(ran.Stdout, request, Name);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("on the device");
        }
        finally
        {
            if (remote is not null)
            {
                await CleanUpAsync(remote, progress).ConfigureAwait(false);
            }
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Copies a model and the external-data files it names into <paramref name="folder"/>, keeping their relative paths.</summary>
    private void Stage(string model, string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(model, Path.Combine(folder, Path.GetFileName(model)));
        string home = Path.GetDirectoryName(Path.GetFullPath(model))!;
        foreach (string external in Teacher.TeacherHash.ExternalFiles(model))
        {
            string relative = Path.GetRelativePath(home, external);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || !File.Exists(external))
            {
                throw new TargetException(ErrorCodes.TargetRunFailed,
                    $"target '{Name}': {model} keeps data in {external}, which is {(File.Exists(external) ? "outside the model's folder" : "missing")}; only external data beside the model (or below it) can go to the device");
            }
            string destination = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(external, destination);
        }
    }

    /// <summary>
    /// The remote shell: the runner in the background (so a signal to the shell is handled at once),
    /// its pid written down for a cleanup from our side, and an EXIT trap that kills it and removes the folder.
    /// </summary>
    internal static string Script(string remote, string runner, IReadOnlyList<string> arguments) =>
        $"F={SshOptions.Quote(remote)}; pid=; " +
        "cleanup() { if [ -n \"$pid\" ]; then kill -9 \"$pid\" 2>/dev/null; fi; rm -rf -- \"$F\"; }; " +
        "trap cleanup EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; " +
        $"{SshOptions.Quote(runner)} {string.Join(' ', arguments.Select(SshOptions.Quote))} </dev/null & pid=$!; " +
        "echo \"$pid\" > \"$F/runner.pid\"; wait \"$pid\"; s=$?; pid=; exit $s";

    /// <summary>Kills a runner still running (a timeout, a lost connection) and removes the folder; bounded, and never masks the run's own error.</summary>
    private async Task CleanUpAsync(string remote, IProgress<string> progress)
    {
        string command = $"F={SshOptions.Quote(remote)}; if [ -f \"$F/runner.pid\" ]; then kill -9 \"$(cat \"$F/runner.pid\")\" 2>/dev/null; fi; rm -rf -- \"$F\"";
        var outcome = await SshAsync(command, ShortStep, CancellationToken.None).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            progress.Report($"targets: {Name}: warning: could not remove {remote} on the device ({RunnerReport.Clip(outcome.Stderr)}); the runner's own EXIT trap removes it when it ends");
        }
    }

    private Task<BoundedProcess.Outcome> SshAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        BoundedProcess.RunAsync("ssh", _ssh.Ssh(command), timeout, cancellationToken);

    private TargetException TimedOut(string step) => new(ErrorCodes.TargetTimedOut,
        $"target '{Name}': {step} took longer than timeoutSeconds ({Config.TimeoutSeconds} s) and was stopped; the folder on the device was removed. Raise timeoutSeconds, or lower iterations/batchSizes");

    /// <summary>What ssh's or scp's failure says: unreachable, refused, or something else.</summary>
    private TargetException Failed(BoundedProcess.Outcome outcome, string step)
    {
        string stderr = RunnerReport.Clip(outcome.Stderr);
        if (outcome.TimedOut)
        {
            return new TargetException(ErrorCodes.TargetUnreachable,
                $"target '{Name}': {Describe()} did not answer while {step} within {ShortStep.TotalSeconds:0} s; check that the device is on and reachable");
        }
        string[] hostKey = ["Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED", "host key for", "No matching host key"];
        string[] auth = ["Permission denied", "Too many authentication failures", "no such identity", "Authentication failed"];
        string[] unreachable = ["Connection refused", "Connection timed out", "Could not resolve hostname", "No route to host", "Network is unreachable", "Operation timed out", "Name or service not known", "Connection reset", "Connection closed by", "kex_exchange_identification"];
        if (hostKey.Any(s => outcome.Stderr.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            return new TargetException(ErrorCodes.TargetAuthenticationFailed,
                $"target '{Name}': the host key of {Describe()} is unknown or changed ({stderr}); verify its fingerprint and add it to known_hosts (or name a knownHostsFile). Host key checking stays on");
        }
        if (auth.Any(s => outcome.Stderr.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            return new TargetException(ErrorCodes.TargetAuthenticationFailed,
                $"target '{Name}': {Describe()} refused the login ({stderr}); check user and identityFile (or load the key into the agent: ssh-add), and that its public key is in the device's ~/.ssh/authorized_keys");
        }
        if (unreachable.Any(s => outcome.Stderr.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            return new TargetException(ErrorCodes.TargetUnreachable,
                $"target '{Name}': cannot reach {Describe()} ({stderr}); check host and port, that the device is on and sshd runs (connectTimeoutSeconds {Config.ConnectTimeoutSeconds})");
        }
        if (outcome.ExitCode == 255 && step.Contains("mid-run", StringComparison.Ordinal))
        {
            return new TargetException(ErrorCodes.TargetRunFailed,
                $"target '{Name}': the connection to {Describe()} was lost mid-run ({(stderr.Length == 0 ? "no message" : stderr)}); the runner was stopped and its folder removed where the device could still be reached");
        }
        return new TargetException(ErrorCodes.TargetRunFailed, $"target '{Name}': {step} on {Describe()} failed (exit {outcome.ExitCode}): {stderr}");
    }
}

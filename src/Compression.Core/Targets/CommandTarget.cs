using Compression.Abstractions.Diagnostics;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// A device we do not reach ourselves (adb, a lab farm): the user's program gets the runner protocol's
/// arguments after its own and prints the protocol's JSON. An argument containing <c>{runner:RID}</c>
/// (or <c>{runner}</c>, for the target's <c>rid</c>) is replaced by the folder of our runner published
/// for that identifier, so a script can push it to the device and run it there.
/// </summary>
public sealed class CommandTarget(TargetConfig config, string configDirectory) : BenchmarkTarget(config)
{
    private readonly List<string> _command = [];

    public override string Describe() => $"command {string.Join(' ', Config.Command ?? [])}";

    public override async Task PrepareAsync(RunnerPublisher publisher, IProgress<string> progress, CancellationToken cancellationToken)
    {
        List<string> command = Config.Command ?? throw new InvalidOperationException("validated: a command target has a command");
        Rid = Config.Rid;
        string program = command[0];
        // A path relative to compression.json, else a program on PATH.
        string? resolved = program.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(program, configDirectory) : LocalTarget.FindOnPath(program);
        if (resolved is null || !File.Exists(resolved))
        {
            throw new TargetException(ErrorCodes.TargetRuntimeMissing,
                $"target '{Name}': the command's program '{program}' was not found ({(program.Contains('/', StringComparison.Ordinal) ? $"no file at {resolved}" : "not on PATH")})");
        }
        _command.Clear();
        _command.Add(resolved);
        foreach (string argument in command.Skip(1))
        {
            string expanded = argument;
            foreach (string rid in RuntimeIdentifiers.Supported)
            {
                string token = $"{{runner:{rid}}}";
                if (expanded.Contains(token, StringComparison.Ordinal))
                {
                    expanded = expanded.Replace(token, await publisher.PublishAsync(rid, progress, cancellationToken).ConfigureAwait(false), StringComparison.Ordinal);
                }
            }
            if (expanded.Contains("{runner}", StringComparison.Ordinal))
            {
                string rid = Config.Rid ?? RuntimeIdentifiers.Host
                    ?? throw new TargetException(ErrorCodes.TargetRuntimeMissing, $"target '{Name}': {{runner}} needs a \"rid\" on this machine");
                expanded = expanded.Replace("{runner}", await publisher.PublishAsync(rid, progress, cancellationToken).ConfigureAwait(false), StringComparison.Ordinal);
            }
            _command.Add(expanded);
        }
    }

    public override async Task<RunnerReport> MeasureAsync(IReadOnlyList<(string Name, string Path)> models, int seed, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var request = new RunnerRequest(models, Config, seed, MeasureMemory: true);
        progress.Report($"targets: {Name}: benchmarking teacher and student with {Describe()}");
        var outcome = await BoundedProcess.RunAsync(_command[0], [.. _command.Skip(1), .. request.Arguments()], Timeout, cancellationToken,
            onStderrLine: line => progress.Report($"targets: {Name}: {line}")).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw RunnerFailed(outcome, $"({Describe()})");
        }
        RunnerReport report = RunnerReport.Parse(outcome.Stdout, request, Name);
        // A command may say it measured under emulation (the protocol's optional "emulated": true).
        Emulated = report.Emulated;
        return report;
    }
}

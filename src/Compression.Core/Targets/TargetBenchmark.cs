using System.Diagnostics;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Targets;

/// <summary>
/// The config's benchmark targets for one run: <see cref="PrepareAsync"/> before anything trains
/// (reach every device, publish the runners), <see cref="MeasureAsync"/> once the final student exists.
/// A target's failure is an error at its entry in compression.json (exit 2), with what to fix.
/// </summary>
public sealed class TargetBenchmark
{
    private readonly LoadedConfig _loaded;
    private readonly List<BenchmarkTarget> _targets;

    private TargetBenchmark(LoadedConfig loaded, List<BenchmarkTarget> targets)
    {
        _loaded = loaded;
        _targets = targets;
    }

    public int Count => _targets.Count;

    /// <summary>The target of a (validated) config entry.</summary>
    public static BenchmarkTarget Create(TargetConfig config, string configDirectory) => config.Kind switch
    {
        "ssh" => new SshTarget(config, configDirectory),
        "command" => new CommandTarget(config, configDirectory),
        _ => new LocalTarget(config),
    };

    public static async Task<TargetBenchmark> PrepareAsync(LoadedConfig loaded, RunnerPublisher publisher, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var targets = loaded.Config.Targets.Select(t => Create(t, loaded.Directory)).ToList();
        var benchmark = new TargetBenchmark(loaded, targets);
        for (int i = 0; i < targets.Count; i++)
        {
            try
            {
                await targets[i].PrepareAsync(publisher, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (TargetException ex)
            {
                throw benchmark.Located(ex, i);
            }
        }
        return benchmark;
    }

    /// <summary>Benchmarks teacher and student on every target in turn (one at a time: they may share this machine's cores).</summary>
    public async Task<(List<Metric> Metrics, List<TargetRun> Runs)> MeasureAsync(string teacherPath, string studentPath, int seed, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var metrics = new List<Metric>();
        var runs = new List<TargetRun>();
        for (int i = 0; i < _targets.Count; i++)
        {
            BenchmarkTarget target = _targets[i];
            var clock = Stopwatch.StartNew();
            RunnerReport report;
            try
            {
                report = await target.MeasureAsync([("teacher", teacherPath), ("student", studentPath)], seed, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (TargetException ex)
            {
                throw Located(ex, i);
            }
            metrics.AddRange(TargetMetrics.From(target.Name, report));
            runs.Add(new TargetRun(target.Name, target.Config.Kind, target.Describe(), target.Rid, target.Emulated, report.Architecture, report.Os, report.OnnxRuntime,
                target.Config.IntraOpThreads, target.Config.ExecutionProvider, target.Config.GraphOptimization, clock.Elapsed.TotalSeconds));
            double? speedup = metrics.LastOrDefault(m => m.Name == TargetMetrics.Speedup(target.Name, target.Config.BatchSizes[0]))?.Value;
            progress.Report(FormattableString.Invariant($"targets: {target.Name}: done in {clock.Elapsed.TotalSeconds:0.0} s, speedup {speedup:0.00}x at batch {target.Config.BatchSizes[0]}{(target.Emulated ? " (emulated)" : "")}"));
        }
        return (metrics, runs);
    }

    private CompressionException Located(TargetException ex, int index) =>
        new(ex.Code, ex.Message, _loaded.Locations.Locate($"targets[{index}].name"));
}

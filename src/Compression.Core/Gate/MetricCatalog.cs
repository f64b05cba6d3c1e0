using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Evaluation;
using Compression.Core.Planning;

namespace Compression.Core.Gate;

/// <summary>
/// The metrics a plan will report, described before it runs: the task evaluator's and the model files' (parameters, bytes, FLOPs), each planned
/// stage's (given its settings) and those plugins register as <see cref="MetricDescriptor"/>
/// services. Budgets are checked against it, and messages name metrics with its labels.
/// </summary>
public sealed class MetricCatalog
{
    private readonly Dictionary<string, MetricDescriptor> _byName = new(StringComparer.Ordinal);
    private readonly List<MetricDescriptor> _all = [];

    /// <summary>The catalog of a plan.</summary>
    /// <param name="planned">The planned stages with their bound settings.</param>
    /// <param name="services">The host's services (plugins' <see cref="MetricDescriptor"/> singletons), or null.</param>
    /// <param name="evaluator">The task's evaluator, or null when the task is unknown.</param>
    /// <param name="targets">The config's benchmark targets (each reports the benchmark's metrics under its name).</param>
    public static MetricCatalog For(IEnumerable<PlannedStage> planned, IServiceProvider? services, IModelEvaluator? evaluator, IEnumerable<TargetConfig> targets)
    {
        var catalog = new MetricCatalog();
        catalog.AddRange(evaluator?.Metrics ?? []);
        catalog.AddRange(ModelFileMetrics.Descriptors);
        foreach (PlannedStage stage in planned)
        {
            catalog.AddRange(stage.Stage.ReportedMetrics(stage.Settings));
        }
        foreach (TargetConfig target in targets.Where(t => !string.IsNullOrEmpty(t.Name)))
        {
            catalog.AddRange(Targets.TargetMetrics.Descriptors(target));
        }
        if (services?.GetService(typeof(IEnumerable<MetricDescriptor>)) is IEnumerable<MetricDescriptor> registered)
        {
            catalog.AddRange(registered);
        }
        return catalog;
    }

    /// <summary>The descriptor of a metric, or null when nothing in the plan reports it.</summary>
    public MetricDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Every descriptor in the order published, including a second description of a name (a stage placing it in a summary column).</summary>
    public IReadOnlyList<MetricDescriptor> All => _all;

    /// <summary>Every name, sorted.</summary>
    public IReadOnlyList<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The closest known name to a misspelt one, or null.</summary>
    public string? Suggest(string name) => SettingsBinder.Suggest(name, _byName.Keys.Order(StringComparer.Ordinal));

    // The first description of a name wins: the evaluation's, then the earliest stage's.
    private void AddRange(IEnumerable<MetricDescriptor> descriptors)
    {
        foreach (MetricDescriptor descriptor in descriptors)
        {
            _all.Add(descriptor);
            _byName.TryAdd(descriptor.Name, descriptor);
        }
    }
}

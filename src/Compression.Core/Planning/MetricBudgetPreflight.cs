using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Planning;

/// <summary>Checks one generic budget (<c>budgets.metrics[i]</c>) before the run: its shape, and that the plan reports its metric.</summary>
internal static class MetricBudgetPreflight
{
    public static void Check(MetricBudgetConfig entry, string path, MetricCatalog catalog, IEnumerable<IStage> registered, JsonLocationIndex locations, List<Finding> findings)
    {
        if (string.IsNullOrWhiteSpace(entry.Metric))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"'{path}' has no \"metric\": expected a metric's name, e.g. {{ \"metric\": \"student.latency.p50_ms.batch1\", \"max\": 2 }}", locations.Locate(path)));
            return;
        }
        if (entry.Min is null && entry.Max is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"'{path}' has no limit: expected \"min\" (the least '{entry.Metric}' may be), \"max\" (the most), or both", locations.Locate(path)));
        }
        else if (entry.Min > entry.Max)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"'{path}': \"min\" {MetricSet.Format(entry.Min.Value)} is above \"max\" {MetricSet.Format(entry.Max!.Value)}, so no value can meet it", locations.LocateValue($"{path}.max")));
        }
        if (catalog.Find(entry.Metric) is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.UnknownBudgetMetric,
                $"'{path}.metric': no planned stage reports a metric '{entry.Metric}'{Hint(entry.Metric, catalog, registered)} The plan reports: {string.Join(", ", catalog.Names)}",
                locations.LocateValue($"{path}.metric")));
        }
    }

    /// <summary>The end of the sentence: "; the 'benchmark' stage reports it with its default settings.", "; did you mean '...'?" or ".".</summary>
    private static string Hint(string metric, MetricCatalog catalog, IEnumerable<IStage> registered)
    {
        // A stage the plan lacks may report it with its default settings.
        IStage? reporter = registered.FirstOrDefault(stage => ReportsWithDefaults(stage, metric));
        if (reporter is not null)
        {
            return $"; the '{reporter.Name}' stage reports it with its default settings.";
        }
        return catalog.Suggest(metric) is string suggestion ? $"; did you mean '{suggestion}'?" : ".";
    }

    /// <summary>
    /// Whether <paramref name="stage"/>, not in the plan, would report <paramref name="metric"/> with its default
    /// settings. Only a hint: a stage that cannot describe itself without real settings (or whose settings
    /// type has no parameterless constructor) is skipped rather than turning a config error into a crash.
    /// </summary>
    private static bool ReportsWithDefaults(IStage stage, string metric)
    {
        try
        {
            return Activator.CreateInstance(stage.SettingsType) is object settings
                && stage.ReportedMetrics(settings).Any(d => d.Name == metric);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }
}

using Compression.Abstractions.Stages;

namespace Compression.Plugins.Tests;

/// <summary>A stage describes, before it runs, every metric it then reports (preflight checks budgets against those descriptions).</summary>
internal static class DescribedMetrics
{
    public static void AssertEveryReportedMetricWasDescribed(IStage stage, object settings, StageResult result)
    {
        var described = stage.ReportedMetrics(settings).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var undescribed = result.Metrics.Select(m => m.Name).Where(name => !described.Contains(name)).ToList();
        Assert.True(undescribed.Count == 0, $"reported but not described: {string.Join(", ", undescribed)}");
    }
}

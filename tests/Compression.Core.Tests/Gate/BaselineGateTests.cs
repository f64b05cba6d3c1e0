using Compression.Abstractions.Metrics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BaselineGateTests
{
    [Fact]
    public void Latency_ratios_are_the_benchmarks_runs_when_it_repeated_else_the_inverse_of_its_one_speedup()
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.Speedup(1), 5));
        metrics.Add(new Metric(MetricNames.Speedup(64), 8));
        metrics.Add(new Metric(MetricNames.LatencyRatioRun(64, 2), 0.13));
        metrics.Add(new Metric(MetricNames.LatencyRatioRun(64, 1), 0.12));
        metrics.Add(new Metric(MetricNames.LatencyRatioRun(64, 10), 0.14));

        var ratios = BaselineGate.LatencyRatios(metrics);

        Assert.Equal([0.2], ratios[1]);
        Assert.Equal([0.12, 0.13, 0.14], ratios[64]); // by run number, not by name
        Assert.Equal(2, ratios.Count);
    }
}

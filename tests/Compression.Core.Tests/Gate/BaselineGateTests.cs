using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BaselineGateTests
{
    [Fact]
    public void Latency_is_compared_at_the_batch_sizes_the_benchmark_measured()
    {
        var metrics = new MetricSet();
        metrics.Add(new Metric(MetricNames.Speedup(64), 8));
        metrics.Add(new Metric(MetricNames.Speedup(1), 5));
        metrics.Add(new Metric(MetricNames.LatencyRatioRun(64, 1), 0.12));

        Assert.Equal([1, 64], BaselineGate.BenchmarkedBatchSizes(metrics));
        Assert.Empty(BaselineGate.BenchmarkedBatchSizes(new MetricSet()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_baseline_path_that_is_a_folder_is_CMP2005_at_the_path_before_anything_runs_also_when_updating(bool update)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "compression.baseline.json"));
        string config = folder.Write("compression.json", """
            {
              "teacher": { "onnx": "t.onnx" },
              "baseline": { "path": "compression.baseline.json" }
            }
            """);

        var error = Assert.Throws<CompressionException>(() => BaselineGate.ReadCommitted(ConfigLoader.Load(config), update));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.Contains($"'baseline.path': {Path.Combine(folder.Path, "compression.baseline.json")} is a folder", finding.Message);
        Assert.Equal((config, 3), (finding.Location!.FilePath, finding.Location.Line));
    }
}

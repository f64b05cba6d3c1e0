using System.Text;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;

namespace Compression.Core.Tests.Gate;

public class BaselineTests
{
    private static readonly JsonLocationIndex s_locations = JsonLocationIndex.Build("/c.json", Encoding.UTF8.GetBytes("""{ "baseline": { "path": "b.json" } }"""));

    private static MetricSet Metrics(double accuracy, double bytes)
    {
        var set = new MetricSet();
        set.Add(new Metric(MetricNames.StudentAccuracy, accuracy));
        set.Add(new Metric(MetricNames.StudentModelBytes, bytes));
        return set;
    }

    [Fact]
    public void An_accuracy_drop_beyond_the_tolerance_is_a_regression()
    {
        var baseline = Baseline.From(Metrics(0.97, 1000));
        var findings = baseline.Compare(Metrics(0.96, 1000), new BaselineConfig { AccuracyTolerancePoints = 0.5 }, s_locations);
        Assert.Equal(ErrorCodes.BaselineRegression, Assert.Single(findings).Code);
    }

    [Fact]
    public void Changes_within_tolerance_pass()
    {
        var baseline = Baseline.From(Metrics(0.97, 1000));
        Assert.Empty(baseline.Compare(Metrics(0.966, 1040), new BaselineConfig(), s_locations));
    }

    [Fact]
    public void Growth_beyond_the_size_tolerance_is_a_regression()
    {
        var baseline = Baseline.From(Metrics(0.97, 1000));
        var finding = Assert.Single(baseline.Compare(Metrics(0.97, 1100), new BaselineConfig { SizeTolerance = 0.05 }, s_locations));
        Assert.Contains("grew to 1,100 bytes", finding.Message);
    }

    [Fact]
    public void A_written_baseline_reads_back()
    {
        string path = Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.json");
        try
        {
            Baseline.From(Metrics(0.9, 123)).Write(path);
            var read = Baseline.Read(path, new SourceLocation(path));
            Assert.Equal(123, read.Metrics[MetricNames.StudentModelBytes]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

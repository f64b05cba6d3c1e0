using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Models.Export;
using Microsoft.Extensions.DependencyInjection;
using Compression.Models;
using Compression.Plugins.Benchmark;

namespace Compression.Plugins.Tests.Benchmark;

public class BenchmarkTests
{
    [Theory]
    [InlineData(50, 3)]
    [InlineData(90, 5)]
    [InlineData(100, 5)]
    [InlineData(1, 1)]
    public void Nearest_rank_percentiles_pick_a_real_sample(double percentile, double expected)
    {
        Assert.Equal(expected, Percentiles.NearestRank([1, 2, 3, 4, 5], percentile));
    }

    [Fact]
    public void Percentiles_of_nothing_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
    }

    [Fact]
    public async Task Teacher_and_student_are_measured_in_one_run_with_every_metric()
    {
        using var harness = new StageHarness();
        var spec = StageHarness.Spec(StageHarness.StudentSpec);
        string student = Path.Combine(harness.Folder, "student.onnx");
        using (var model = ModelFactory.Create(spec, 3))
        {
            OnnxExporter.Export(model, student);
        }
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, student));
        var settings = new BenchmarkSettings { BatchSizes = [1, 8], Warmup = 2, Iterations = 20 };
        var result = await new BenchmarkStage().RunAsync(context, settings, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        foreach (string model in new[] { "teacher", "student" })
        {
            foreach (int batch in new[] { 1, 8 })
            {
                Assert.True(metrics[MetricNames.Latency(model, 50, batch)] <= metrics[MetricNames.Latency(model, 99, batch)]);
                Assert.True(metrics[MetricNames.Throughput(model, batch)] > 0);
            }
        }
        Assert.True(metrics[MetricNames.Speedup(8)] > 0);
        Assert.Equal(new FileInfo(student).Length, metrics[MetricNames.StudentModelBytes]);
        Assert.Contains("| student | 8 |", result.ReportMarkdown);
    }

    [Fact]
    public async Task Repeated_runs_report_each_runs_latency_ratio_and_a_single_run_reports_none()
    {
        using var harness = new StageHarness();
        string student = Path.Combine(harness.Folder, "student.onnx");
        using (var model = ModelFactory.Create(StageHarness.Spec(StageHarness.StudentSpec), 3))
        {
            OnnxExporter.Export(model, student);
        }
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, student));

        var repeatedSettings = new BenchmarkSettings { BatchSizes = [1, 4], Warmup = 1, Iterations = 5, Repeats = 3 };
        var repeated = await new BenchmarkStage().RunAsync(context, repeatedSettings, CancellationToken.None);
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new BenchmarkStage(), repeatedSettings, repeated);
        var once = await new BenchmarkStage().RunAsync(context, new BenchmarkSettings { BatchSizes = [1], Warmup = 1, Iterations = 5 }, CancellationToken.None);

        var names = repeated.Metrics.Select(m => m.Name).Where(n => n.StartsWith("latency_ratio.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(
            [MetricNames.LatencyRatioRun(1, 1), MetricNames.LatencyRatioRun(1, 2), MetricNames.LatencyRatioRun(1, 3),
             MetricNames.LatencyRatioRun(4, 1), MetricNames.LatencyRatioRun(4, 2), MetricNames.LatencyRatioRun(4, 3)],
            names);
        Assert.All(repeated.Metrics.Where(m => m.Name.StartsWith("latency_ratio.", StringComparison.Ordinal)), m => Assert.True(m.Value > 0));
        Assert.Contains("repeated 3 times", repeated.ReportMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain(once.Metrics, m => m.Name.StartsWith("latency_ratio.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Memory_comes_from_the_hosts_probe_per_model_and_batch_and_is_absent_without_one()
    {
        using var harness = new StageHarness();
        string student = Path.Combine(harness.Folder, "student.onnx");
        using (var model = ModelFactory.Create(StageHarness.Spec(StageHarness.StudentSpec), 3))
        {
            OnnxExporter.Export(model, student);
        }
        var probe = new RecordingProbe();
        var settings = new BenchmarkSettings { BatchSizes = [4, 1], Warmup = 1, Iterations = 5 };

        var withProbe = await new BenchmarkStage().RunAsync(
            harness.Context(StageHarness.Services(s => s.AddSingleton<IModelMemoryProbe>(probe)), new Artifact(ArtifactKind.OnnxModel, student)), settings, CancellationToken.None);
        var without = await new BenchmarkStage().RunAsync(
            harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, student)), settings, CancellationToken.None);

        Assert.Equal([(harness.Teacher.OnnxPath, 4), (student, 4), (harness.Teacher.OnnxPath, 1), (student, 1)], probe.Calls);
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new BenchmarkStage(), settings, withProbe);
        // The metric is the largest batch's peak; the table shows every batch.
        Assert.Equal(4 * 1024 * 1024, withProbe.Metrics.Single(m => m.Name == MetricNames.PeakMemory("student")).Value);
        Assert.Contains("| 1.0 MiB |", withProbe.ReportMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain(without.Metrics, m => m.Name == MetricNames.PeakMemory("student"));
        Assert.Contains("not measured (this host provides no memory probe)", without.ReportMarkdown, StringComparison.Ordinal);
    }

    private sealed class RecordingProbe : IModelMemoryProbe
    {
        public List<(string Path, int Batch)> Calls { get; } = [];

        public long PeakBytes(string onnxModelPath, int batchSize, int intraOpThreads, CancellationToken cancellationToken)
        {
            Calls.Add((onnxModelPath, batchSize));
            return batchSize * 1024L * 1024;
        }
    }

    [Fact]
    public void Batch_sizes_are_validated_one_by_one()
    {
        var errors = new BenchmarkStage().Validate(new BenchmarkSettings { BatchSizes = [1, 0] }, StageHarness.Services(_ => { }));
        Assert.Equal("batchSizes[1]", Assert.Single(errors).Path);
    }
}

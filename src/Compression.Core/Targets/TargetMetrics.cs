using Compression.Abstractions.Metrics;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// The metrics a benchmark target reports: the benchmark stage's names with the target's name in
/// front (<c>edge.student.latency.p95_ms.batch1</c>, <c>edge.speedup.batch1</c>,
/// <c>edge.student.memory_bytes</c>), so generic budgets (<c>budgets.metrics</c>) and baselines read them alike.
/// </summary>
public static class TargetMetrics
{
    public static string Latency(string target, string model, int percentile, int batch) => MetricNames.Latency($"{target}.{model}", percentile, batch);

    public static string Throughput(string target, string model, int batch) => MetricNames.Throughput($"{target}.{model}", batch);

    public static string Speedup(string target, int batch) => $"{target}.{MetricNames.Speedup(batch)}";

    public static string PeakMemory(string target, string model) => MetricNames.PeakMemory($"{target}.{model}");

    /// <summary>What a target will report, described before the run (for budgets' checks and messages).</summary>
    public static IEnumerable<MetricDescriptor> Descriptors(TargetConfig target)
    {
        string name = target.Name!;
        foreach (int batch in target.BatchSizes.Distinct())
        {
            foreach (string model in (string[])["teacher", "student"])
            {
                MetricDirection direction = model == "student" ? MetricDirection.LowerIsBetter : MetricDirection.Neither;
                foreach (int q in RunnerReport.Percentiles)
                {
                    yield return new MetricDescriptor(Latency(name, model, q, batch), "ms", direction, $"{model} p{q} latency on target '{name}', batch {batch}") { Format = "0.000" };
                }
                yield return new MetricDescriptor(Throughput(name, model, batch), "samples/s",
                    model == "student" ? MetricDirection.HigherIsBetter : MetricDirection.Neither, $"{model} throughput on target '{name}', batch {batch}") { Format = "N0" };
            }
            yield return new MetricDescriptor(Speedup(name, batch), "x", MetricDirection.HigherIsBetter, $"speedup over the teacher on target '{name}' (p50 latency ratio), batch {batch}") { Format = "0.00" };
        }
        yield return new MetricDescriptor(PeakMemory(name, "teacher"), "bytes", MetricDirection.Neither, $"teacher peak memory on target '{name}', largest batch") { Format = "N0" };
        yield return new MetricDescriptor(PeakMemory(name, "student"), "bytes", MetricDirection.LowerIsBetter, $"student peak memory on target '{name}', largest batch") { Format = "N0" };
    }

    /// <summary>The metrics of one target's answer.</summary>
    public static IEnumerable<Metric> From(string target, RunnerReport report)
    {
        foreach (RunnerReport.Model model in report.Models)
        {
            foreach (RunnerReport.Batch batch in model.Batches)
            {
                for (int q = 0; q < RunnerReport.Percentiles.Length; q++)
                {
                    yield return new Metric(Latency(target, model.Name, RunnerReport.Percentiles[q], batch.Size), batch.LatencyMs[q], "ms");
                }
                yield return new Metric(Throughput(target, model.Name, batch.Size), batch.Throughput, "samples/s");
            }
            if (model.PeakMemoryBytes is long bytes)
            {
                yield return new Metric(PeakMemory(target, model.Name), bytes, "bytes");
            }
        }
        RunnerReport.Model teacher = report.Models.Single(m => m.Name == "teacher");
        RunnerReport.Model student = report.Models.Single(m => m.Name == "student");
        foreach (RunnerReport.Batch batch in teacher.Batches)
        {
            RunnerReport.Batch other = student.Batches.Single(b => b.Size == batch.Size);
            yield return new Metric(Speedup(target, batch.Size), batch.LatencyMs[0] / other.LatencyMs[0], "x");
        }
    }
}

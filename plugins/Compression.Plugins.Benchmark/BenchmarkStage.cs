using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Benchmark;

/// <summary>
/// Measures teacher and student in the same run, interleaving their timed runs one for one, so
/// that noise on a shared machine hits both equally and the speedup ratio stays meaningful even
/// when the absolute numbers wander.
/// </summary>
public sealed class BenchmarkStage : Stage<BenchmarkSettings>
{
    private static readonly int[] s_percentiles = [50, 90, 95, 99];

    public override string Name => "benchmark";

    public override string Description => "Latency percentiles, throughput, size and memory of teacher and student (ONNX Runtime, interleaved)";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];

    public override IReadOnlyList<ArtifactKind> Produces => [];

    protected override IEnumerable<SettingsError> Validate(BenchmarkSettings settings, IServiceProvider services)
    {
        if (settings.BatchSizes.Length == 0)
        {
            yield return new SettingsError("batchSizes", "must list at least one batch size, e.g. [1, 64]");
        }
        for (int i = 0; i < settings.BatchSizes.Length; i++)
        {
            if (settings.BatchSizes[i] is < 1 or > 65_536)
            {
                yield return new SettingsError($"batchSizes[{i}]", $"must be between 1 and 65536, got {settings.BatchSizes[i]}");
            }
        }
    }

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(BenchmarkSettings settings)
    {
        yield return new MetricDescriptor(MetricNames.TeacherModelBytes, "bytes", MetricDirection.Neither, "teacher ONNX file size") { Format = "N0" };
        yield return new MetricDescriptor(MetricNames.StudentModelBytes, "bytes", MetricDirection.LowerIsBetter, "student ONNX file size") { Format = "N0" };
        foreach (int batch in settings.BatchSizes.Distinct())
        {
            foreach (string model in (string[])["teacher", "student"])
            {
                MetricDirection direction = model == "student" ? MetricDirection.LowerIsBetter : MetricDirection.Neither;
                foreach (int q in s_percentiles)
                {
                    yield return new MetricDescriptor(MetricNames.Latency(model, q, batch), "ms", direction, $"{model} p{q} latency, batch {batch}") { Format = "0.000" };
                }
                yield return new MetricDescriptor(MetricNames.Throughput(model, batch), "samples/s",
                    model == "student" ? MetricDirection.HigherIsBetter : MetricDirection.Neither, $"{model} throughput, batch {batch}") { Format = "N0" };
            }
            yield return new MetricDescriptor(MetricNames.Speedup(batch), "x", MetricDirection.HigherIsBetter, $"speedup over the teacher (p50 latency ratio), batch {batch}") { Format = "0.00" };
            for (int run = 1; settings.Repeats >= 2 && run <= settings.Repeats; run++)
            {
                yield return new MetricDescriptor(MetricNames.LatencyRatioRun(batch, run), "", MetricDirection.LowerIsBetter, $"student / teacher p50 latency, batch {batch}, run {run}");
            }
        }
        // Measured only when the host has a memory probe; a budget on it without one fails as unreported.
        yield return new MetricDescriptor(MetricNames.PeakMemory("teacher"), "bytes", MetricDirection.Neither, "teacher peak memory, largest batch") { Format = "N0" };
        yield return new MetricDescriptor(MetricNames.PeakMemory("student"), "bytes", MetricDirection.LowerIsBetter, "student peak memory, largest batch") { Format = "N0" };
    }

    protected override Task<StageResult> RunAsync(StageContext context, BenchmarkSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    /// <summary>
    /// <paramref name="batch"/> tokenised texts of the embedding task's test split: its documents (the second
    /// half; the first half are their queries), from the first on, repeated when the batch is larger.
    /// </summary>
    private static float[] TextBatch(Abstractions.Data.LabelledData test, int batch)
    {
        int pairs = test.Count / 2;
        var rows = new float[(long)batch * test.SampleSize];
        for (int i = 0; i < batch; i++)
        {
            test.Rows(pairs + (i % pairs), 1).CopyTo(rows.AsSpan(i * test.SampleSize, test.SampleSize));
        }
        return rows;
    }

    private static StageResult Run(StageContext context, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var models = new (string Name, string Path)[] { ("teacher", context.Teacher.OnnxPath), ("student", context.Input(ArtifactKind.OnnxModel).Path) };
        // The memory probe feeds a model one float input; a sentence encoder takes token ids, so text models go unmeasured.
        var memoryProbe = context.Task == "embedding" ? null : context.Services.GetService<IModelMemoryProbe>();
        var metrics = new List<Metric>();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"ONNX Runtime, {settings.IntraOpThreads} intra-op thread(s), {settings.Warmup} warm-up and {settings.Iterations} timed runs per model and batch size{(settings.Repeats > 1 ? $", repeated {settings.Repeats} times (percentiles over all)" : "")}, interleaved.");
        report.AppendLine();
        report.AppendLine("| model | batch | p50 ms | p90 ms | p95 ms | p99 ms | samples/s | peak memory |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

        foreach (var (name, path) in models)
        {
            metrics.Add(new Metric(name == "teacher" ? MetricNames.TeacherModelBytes : MetricNames.StudentModelBytes, new FileInfo(path).Length, "bytes"));
        }
        int done = 0;
        foreach (int batch in settings.BatchSizes.Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[]? texts = context.Task == "embedding" ? TextBatch(context.Data.Test, batch) : null;
            using var teacher = new TimedSession(models[0].Path, batch, settings.IntraOpThreads, settings.Warmup, context.Seed, texts);
            using var student = new TimedSession(models[1].Path, batch, settings.IntraOpThreads, settings.Warmup, context.Seed, texts);
            var times = new[] { new List<double>(settings.Iterations * settings.Repeats), new List<double>(settings.Iterations * settings.Repeats) };
            for (int run = 1; run <= settings.Repeats; run++)
            {
                var runTimes = new[] { new List<double>(settings.Iterations), new List<double>(settings.Iterations) };
                for (int i = 0; i < settings.Iterations; i++)
                {
                    if (i % 64 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    runTimes[0].Add(teacher.RunOnce());
                    runTimes[1].Add(student.RunOnce());
                }
                times[0].AddRange(runTimes[0]);
                times[1].AddRange(runTimes[1]);
                if (settings.Repeats >= 2)
                {
                    // Each run's own ratio: the spread over runs is what an interval on the ratio needs.
                    runTimes[0].Sort();
                    runTimes[1].Sort();
                    metrics.Add(new Metric(MetricNames.LatencyRatioRun(batch, run),
                        Percentiles.NearestRank(runTimes[1], 50) / Percentiles.NearestRank(runTimes[0], 50), "ratio"));
                }
            }
            var p50 = new double[2];
            for (int m = 0; m < 2; m++)
            {
                string model = models[m].Name;
                times[m].Sort();
                var values = s_percentiles.Select(q => Percentiles.NearestRank(times[m], q)).ToArray();
                p50[m] = values[0];
                for (int q = 0; q < s_percentiles.Length; q++)
                {
                    metrics.Add(new Metric(MetricNames.Latency(model, s_percentiles[q], batch), values[q], "ms"));
                }
                double throughput = batch * times[m].Count / (times[m].Sum() / 1000);
                metrics.Add(new Metric(MetricNames.Throughput(model, batch), throughput, "samples/s"));
                long? memory = memoryProbe?.PeakBytes(models[m].Path, batch, settings.IntraOpThreads, cancellationToken);
                if (memory is long bytes && batch == settings.BatchSizes.Max())
                {
                    metrics.Add(new Metric(MetricNames.PeakMemory(model), bytes, "bytes"));
                }
                string memoryCell = memory is long b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1024.0 / 1024.0:0.0} MiB") : "-";
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {model} | {batch} | {values[0]:0.000} | {values[1]:0.000} | {values[2]:0.000} | {values[3]:0.000} | {throughput:N0} | {memoryCell} |"));
            }
            metrics.Add(new Metric(MetricNames.Speedup(batch), p50[0] / p50[1], "x"));
            done++;
            context.Progress.Report(new StageProgress(
                string.Create(CultureInfo.InvariantCulture, $"batch {batch}: teacher p50 {p50[0]:0.000} ms, student p50 {p50[1]:0.000} ms, speedup {p50[0] / p50[1]:0.00}x"),
                (double)done / settings.BatchSizes.Length));
        }
        report.AppendLine();
        if (context.Task == "embedding")
        {
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Both models ran on the same tokenised test documents, {context.Data.Test.SampleShape[^1]} tokens each (padded or cut as the text format made them): the student's [batch, 2, L] floats; the teacher's input_ids and attention_mask as int64 (its graph's last_hidden_state, before the mean pooling done outside it)."));
            report.AppendLine();
        }
        report.AppendLine(memoryProbe is null
            ? context.Task == "embedding" ? "Peak memory: not measured for text models (the memory probe feeds one float input, not token ids)." : "Peak memory: not measured (this host provides no memory probe)."
            : "Peak memory: resident memory of a fresh process loading and running the model at that batch size, above its baseline with ONNX Runtime loaded (weights, ONNX Runtime's arena and the kernel code the model touches); each model in its own process.");
        return new StageResult([], metrics, report.ToString());
    }
}

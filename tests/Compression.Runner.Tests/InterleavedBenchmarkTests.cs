using System.Text.Json;
using Compression.Onnx.Tests;

namespace Compression.Runner.Tests;

public sealed class InterleavedBenchmarkTests : IDisposable
{
    private readonly string _plain = TinyModels.WriteTemp(TinyModels.GemmRelu());
    private readonly string _quantized = TinyModels.WriteTemp(TinyModels.QuantizedCalibratedGemm());

    public void Dispose()
    {
        File.Delete(_plain);
        File.Delete(_quantized);
    }

    private RunnerOptions Options(params string[] extra) =>
        RunnerOptions.Parse(["--model", $"teacher={_plain}", "--model", $"student={_quantized}", "--batch", "1", "--batch", "4", "--warmup", "1", "--iterations", "6", "--repeats", "2", .. extra]);

    [Fact]
    public void Every_model_gets_ordered_percentiles_and_a_throughput_at_every_batch_size()
    {
        var progress = new StringWriter();
        List<ModelResult> results = InterleavedBenchmark.Run(Options(), progress);
        Assert.Equal(["teacher", "student"], results.Select(r => r.Name));
        foreach (ModelResult result in results)
        {
            Assert.Equal([1, 4], result.Batches.Select(b => b.Batch));
            foreach (BatchResult batch in result.Batches)
            {
                Assert.Equal(12, batch.Runs);
                Assert.True(batch.Latencies[0] > 0);
                Assert.Equal(batch.Latencies.Order(), batch.Latencies);
                Assert.True(batch.Throughput > 0);
            }
        }
        Assert.Contains("batch 4: teacher p50", progress.ToString());
    }

    [Fact]
    public void Nearest_rank_is_the_smallest_sample_with_at_least_q_percent_at_or_below_it()
    {
        var sorted = new List<double> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        Assert.Equal(5, InterleavedBenchmark.NearestRank(sorted, 50));
        Assert.Equal(10, InterleavedBenchmark.NearestRank(sorted, 95));
        Assert.Equal(1, InterleavedBenchmark.NearestRank(sorted, 1));
    }

    [Fact]
    public void The_answer_is_one_line_of_protocol_1_json()
    {
        RunnerOptions options = Options("--no-memory");
        List<ModelResult> results = InterleavedBenchmark.Run(options, TextWriter.Null);
        results[1].PeakMemoryBytes = 1234;
        using var stream = new MemoryStream();
        ReportWriter.Write(stream, options, results);
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(text);
        JsonElement root = json.RootElement;
        Assert.Equal(1, root.GetProperty("protocol").GetInt32());
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), root.GetProperty("architecture").GetString());
        JsonElement student = root.GetProperty("models")[1];
        Assert.Equal("student", student.GetProperty("name").GetString());
        Assert.Equal(1234, student.GetProperty("peakMemoryBytes").GetInt64());
        Assert.False(root.GetProperty("models")[0].TryGetProperty("peakMemoryBytes", out _));
        JsonElement batch = student.GetProperty("batches")[1];
        Assert.Equal(4, batch.GetProperty("batch").GetInt32());
        foreach (string field in (string[])["p50Ms", "p90Ms", "p95Ms", "p99Ms", "throughput"])
        {
            Assert.True(batch.GetProperty(field).GetDouble() > 0, field);
        }
    }

    [Fact]
    public void An_execution_provider_this_build_lacks_is_refused_with_the_available_ones()
    {
        var ex = Assert.Throws<RunnerUsageException>(() => InterleavedBenchmark.Run(Options("--provider", "NoSuchProvider"), TextWriter.Null));
        Assert.StartsWith("execution provider 'NoSuchProvider' is not in this ONNX Runtime build (available: ", ex.Message);
        Assert.Contains("CPUExecutionProvider", ex.Message);
    }
}

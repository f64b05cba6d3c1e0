using Compression.Core.Config;
using Compression.Core.Targets;

namespace Compression.Core.Tests.Targets;

public class RunnerReportTests
{
    private static readonly RunnerRequest s_request = new([("teacher", "/t.onnx"), ("student", "/s.onnx")], new TargetConfig { Name = "edge", BatchSizes = [1, 8] }, 42, true);

    private static string Batch(int size, double p50) =>
        $$"""{ "batch": {{size}}, "p50Ms": {{p50}}, "p90Ms": {{p50 * 2}}, "p95Ms": {{p50 * 3}}, "p99Ms": {{p50 * 4}}, "throughput": {{size * 1000 / p50}}, "runs": 20 }""";

    private static string Answer(string models, string extra = "") =>
        $$"""{ "protocol": 1, "architecture": "Arm64", "os": "Linux", "onnxRuntime": "1.31.1"{{extra}}, "models": [{{models}}] }""".ReplaceLineEndings(" ");

    private static readonly string s_both =
        $$"""{ "name": "teacher", "peakMemoryBytes": 2000, "batches": [{{Batch(1, 2)}}, {{Batch(8, 4)}}] }, { "name": "student", "batches": [{{Batch(1, 0.5)}}, {{Batch(8, 1)}}] }""";

    [Fact]
    public void A_protocol_1_answer_gives_each_models_percentiles_throughput_and_memory()
    {
        RunnerReport report = RunnerReport.Parse("progress on stdout is ignored\n" + Answer(s_both) + "\n", s_request, "edge");
        Assert.Equal("Arm64", report.Architecture);
        Assert.False(report.Emulated);
        RunnerReport.Model teacher = report.Models[0];
        Assert.Equal(2000, teacher.PeakMemoryBytes);
        Assert.Equal([2.0, 4.0, 6.0, 8.0], teacher.Batches[0].LatencyMs);
        Assert.Null(report.Models[1].PeakMemoryBytes);
        Assert.Equal(8, report.Models[1].Batches[1].Size);
    }

    [Fact]
    public void The_metrics_are_the_benchmarks_names_under_the_targets_name_with_the_speedup()
    {
        var metrics = TargetMetrics.From("edge", RunnerReport.Parse(Answer(s_both), s_request, "edge")).ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(6.0, metrics["edge.teacher.latency.p95_ms.batch1"]);
        Assert.Equal(4.0, metrics["edge.speedup.batch1"]);
        Assert.Equal(2000, metrics["edge.teacher.memory_bytes"]);
        Assert.False(metrics.ContainsKey("edge.student.memory_bytes"));
        Assert.Equal(8000, metrics["edge.student.throughput.batch8"]);
    }

    [Fact]
    public void A_command_may_say_it_measured_under_emulation()
    {
        Assert.True(RunnerReport.Parse(Answer(s_both, ", \"emulated\": true"), s_request, "edge").Emulated);
    }

    [Theory]
    [InlineData("", "printed no JSON object")]
    [InlineData("""{ "protocol": 2, "models": [] }""", "speaks runner protocol 2")]
    [InlineData("""{ "protocol": 1, "models": [] }""", "no model named 'teacher'")]
    [InlineData("""{ "protocol": 1, "models": [ { "name": "teacher", "batches": [] } ] }""", "no batch 1 for 'teacher'")]
    [InlineData("""{ "protocol": 1, "models": [ { "name": "teacher", "batches": [ { "batch": 1, "p50Ms": -1 } ] } ] }""", "'p50Ms' must be a positive number")]
    [InlineData("""{ "protocol": 1, "models": "x" }""", "not the runner protocol's JSON")]
    public void An_answer_that_is_not_the_protocol_fails_with_CMP4014_naming_the_target(string stdout, string expected)
    {
        var ex = Assert.Throws<TargetException>(() => RunnerReport.Parse(stdout, s_request, "edge"));
        Assert.Equal(ErrorCodes.TargetRunFailed, ex.Code);
        Assert.StartsWith("target 'edge': the runner's answer cannot be read: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void The_request_is_the_protocols_arguments()
    {
        var target = new TargetConfig { Name = "edge", BatchSizes = [1, 8, 1], Warmup = 3, Iterations = 9, IntraOpThreads = 2, ExecutionProvider = "XNNPACK", GraphOptimization = "basic" };
        var request = new RunnerRequest([("teacher", "/a b.onnx")], target, 7, MeasureMemory: false);
        Assert.Equal(
            ["bench", "--model", "teacher=/a b.onnx", "--batch", "1", "--batch", "8", "--warmup", "3", "--iterations", "9", "--threads", "2", "--provider", "XNNPACK", "--optimization", "basic", "--seed", "7", "--no-memory"],
            request.Arguments());
    }
}

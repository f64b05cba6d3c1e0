using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Benchmark;

/// <summary>The target profile to measure on.</summary>
public sealed class BenchmarkSettings
{
    [Description("Batch sizes to measure; latency budgets refer to one of them.")]
    public int[] BatchSizes { get; set; } = [1, 64];

    [Range(0, 100_000, ErrorMessage = "must be between 0 and 100000")]
    [Description("Untimed runs per model and batch size before measuring.")]
    public int Warmup { get; set; } = 20;

    [Range(5, 1_000_000, ErrorMessage = "must be between 5 and 1000000")]
    [Description("Timed runs per model and batch size.")]
    public int Iterations { get; set; } = 200;

    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    [Description("Measurement runs per batch size, each interleaving teacher and student (percentiles over all of them); with 2 or more each run's student/teacher latency ratio is reported too, to show its spread.")]
    public int Repeats { get; set; } = 1;

    [Range(1, 1024, ErrorMessage = "must be between 1 and 1024")]
    [Description("ONNX Runtime intra-op threads, as on the deployment target.")]
    public int IntraOpThreads { get; set; } = 1;
}

namespace Compression.Runner;

/// <summary>One model's figures: per batch size, and its peak memory at the largest.</summary>
internal sealed class ModelResult(string name)
{
    public string Name { get; } = name;

    public List<BatchResult> Batches { get; } = [];

    public long? PeakMemoryBytes { get; set; }
}

/// <summary>Latency percentiles (in <see cref="InterleavedBenchmark.Percentiles"/> order, ms) and throughput at one batch size.</summary>
internal sealed record BatchResult(int Batch, double[] Latencies, double Throughput, int Runs);

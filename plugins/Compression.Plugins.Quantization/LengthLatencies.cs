namespace Compression.Plugins.Quantization;

/// <summary>Median latencies (ms) of an fp32 model and its int8 counterpart on texts of one sequence length, timed alternately on one thread.</summary>
public sealed record LengthLatencies(int Length, double Fp32Batch1, double Int8Batch1, double Fp32Batch64, double Int8Batch64)
{
    public double LatencyRatio1 => Int8Batch1 / Fp32Batch1;

    public double LatencyRatio64 => Int8Batch64 / Fp32Batch64;
}

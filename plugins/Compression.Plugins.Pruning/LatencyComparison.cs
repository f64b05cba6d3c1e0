using Compression.Abstractions.Data;
using Compression.Onnx;

namespace Compression.Plugins.Pruning;

/// <summary>
/// Median ONNX Runtime latency of the unpruned and the pruned model, run alternately in one process
/// on one thread (so machine noise hits both alike), at batch 1 and 64, on test samples.
/// </summary>
internal sealed record LatencyComparison(double Before1, double After1, double Before64, double After64)
{
    private const int Warmup = 20;
    private const int Iterations = 200;

    public double Ratio1 => After1 / Before1;

    public double Ratio64 => After64 / Before64;

    public static LatencyComparison Measure(string before, string after, LabelledData test, CancellationToken cancellationToken)
    {
        var batch1 = Medians(before, after, test, 1, cancellationToken);
        var batch64 = Medians(before, after, test, Math.Min(64, test.Count), cancellationToken);
        return new LatencyComparison(batch1.Before, batch1.After, batch64.Before, batch64.After);
    }

    private static (double Before, double After) Medians(string first, string second, LabelledData data, int batch, CancellationToken cancellationToken) =>
        AlternatingLatency.Medians(first, second, data.Rows(0, batch).ToArray(), batch, Warmup, Iterations, cancellationToken);
}

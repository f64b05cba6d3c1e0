namespace Compression.Onnx;

/// <summary>
/// Median latencies of two ONNX models timed side by side (<see cref="InterleavedTimer"/>): used wherever
/// a stage compares a model with its smaller version and one round of runs is enough.
/// </summary>
public static class AlternatingLatency
{
    /// <summary>Median milliseconds per run of each model over <paramref name="iterations"/> alternating runs, after <paramref name="warmup"/>.</summary>
    /// <param name="first">The first model's file.</param>
    /// <param name="second">The second model's file (same input).</param>
    /// <param name="rows">Row-major input of <paramref name="batch"/> samples.</param>
    /// <param name="batch">Samples per run.</param>
    /// <param name="warmup">Runs of each model not timed.</param>
    /// <param name="iterations">Timed runs of each model.</param>
    /// <param name="cancellationToken">Checked between runs.</param>
    public static (double First, double Second) Medians(string first, string second, float[] rows, int batch, int warmup, int iterations, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        using var timer = new InterleavedTimer(first, second, batch, rows);
        timer.Warmup(warmup, cancellationToken);
        return timer.Round(iterations, cancellationToken);
    }
}

using System.Diagnostics;

namespace Compression.Onnx;

/// <summary>
/// Median latencies of two ONNX models timed side by side: one thread each, run alternately on the same
/// batch in one process, so machine noise (other jobs, frequency changes) hits both alike and their ratio
/// means something even on a busy machine. Used wherever a stage compares a model with its smaller version.
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
    /// <param name="cancellationToken">Checked before every pair of runs.</param>
    public static (double First, double Second) Medians(string first, string second, float[] rows, int batch, int warmup, int iterations, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        using var a = new OnnxInferenceSession(first, intraOpThreads: 1);
        using var b = new OnnxInferenceSession(second, intraOpThreads: 1);
        var timesA = new List<double>(iterations);
        var timesB = new List<double>(iterations);
        for (int i = 0; i < warmup + iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            a.Run(rows, batch);
            double ta = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            b.Run(rows, batch);
            double tb = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i >= warmup)
            {
                timesA.Add(ta);
                timesB.Add(tb);
            }
        }
        timesA.Sort();
        timesB.Sort();
        return (timesA[timesA.Count / 2], timesB[timesB.Count / 2]);
    }
}

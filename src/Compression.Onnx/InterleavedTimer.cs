using System.Diagnostics;

namespace Compression.Onnx;

/// <summary>
/// Two ONNX models timed side by side in one process on the same batch, one intra-op thread each,
/// their runs interleaved one for one: whatever else the machine is doing (other builds, frequency
/// changes) hits both alike, so the ratio of their times means something on a busy machine even when
/// the times themselves do not. Rounds of runs give the spread a confidence interval needs.
/// </summary>
public sealed class InterleavedTimer : IDisposable
{
    private readonly OnnxInferenceSession _first;
    private readonly OnnxInferenceSession _second;
    private readonly float[] _rows;
    private readonly int _batch;

    /// <summary>Loads both models and makes one batch of input for them.</summary>
    /// <param name="first">The first model's file.</param>
    /// <param name="second">The second model's file; it must take the same input as the first.</param>
    /// <param name="batch">Samples per run.</param>
    /// <param name="rows">Row-major input of <paramref name="batch"/> samples; null for seeded uniform values in [0, 1),
    /// which time a dense model as well as real samples do. Required when the input has a dynamic dimension besides the batch
    /// (a token sequence's length), which the rows then fix.</param>
    /// <param name="seed">Seed of the generated input.</param>
    /// <exception cref="OnnxFormatException">A model cannot be loaded, or the two take different inputs.</exception>
    public InterleavedTimer(string first, string second, int batch, float[]? rows = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        _first = new OnnxInferenceSession(first, intraOpThreads: 1);
        try
        {
            _second = new OnnxInferenceSession(second, intraOpThreads: 1);
        }
        catch
        {
            _first.Dispose();
            throw;
        }
        _batch = batch;
        try
        {
            // A dynamic sample dimension (a token sequence's length) is fine when the rows fix it and both models declare the same shape.
            bool sameFixedSize = _first.SampleSize >= 0 && _first.SampleSize == _second.SampleSize;
            bool sameDynamicShape = rows is not null && rows.Length % batch == 0 && _first.InputShape.Skip(1).SequenceEqual(_second.InputShape.Skip(1));
            if (!sameFixedSize && !sameDynamicShape)
            {
                throw new OnnxFormatException(second,
                    $"takes input [{string.Join(", ", _second.InputShape)}] where {first} takes [{string.Join(", ", _first.InputShape)}]: the two cannot be timed on the same batch");
            }
            if (rows is null)
            {
                var random = new Random(seed);
                rows = new float[(long)batch * _first.SampleSize];
                for (int i = 0; i < rows.Length; i++)
                {
                    rows[i] = (float)random.NextDouble();
                }
            }
            _rows = rows;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs each model <paramref name="runs"/> times untimed (first-run allocations, caches).</summary>
    public void Warmup(int runs, CancellationToken cancellationToken)
    {
        for (int i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _first.Run(_rows, _batch);
            _second.Run(_rows, _batch);
        }
    }

    /// <summary>
    /// How many runs of each model make a round of about <paramref name="target"/> per model, from
    /// a few timed runs: short rounds of a tiny model would each be one burst of noise.
    /// </summary>
    public int RunsPerRound(TimeSpan target, int min, int max, CancellationToken cancellationToken)
    {
        var (first, second) = Round(3, cancellationToken);
        double slower = Math.Max(Math.Max(first, second), 1e-6);
        return (int)Math.Clamp(target.TotalMilliseconds / slower, min, max);
    }

    /// <summary>
    /// One round: <paramref name="runs"/> timed runs of each model, alternating which goes first
    /// (so neither always runs on the caches the other just warmed); the median milliseconds of each.
    /// </summary>
    public (double First, double Second) Round(int runs, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        var first = new double[runs];
        var second = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            if (i % 16 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (i % 2 == 0)
            {
                first[i] = Time(_first);
                second[i] = Time(_second);
            }
            else
            {
                second[i] = Time(_second);
                first[i] = Time(_first);
            }
        }
        Array.Sort(first);
        Array.Sort(second);
        return (first[runs / 2], second[runs / 2]);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second?.Dispose();
    }

    private double Time(OnnxInferenceSession session)
    {
        long start = Stopwatch.GetTimestamp();
        session.Run(_rows, _batch);
        // Never zero: a ratio of times must stay finite on the coarsest clock.
        return Math.Max(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1e-6);
    }
}

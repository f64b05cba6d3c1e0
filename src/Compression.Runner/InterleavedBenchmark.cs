namespace Compression.Runner;

/// <summary>
/// Times every model at each batch size, interleaving their runs one for one (as the build's own
/// benchmark stage does) so that noise on the device hits all of them alike and their ratio holds.
/// </summary>
internal static class InterleavedBenchmark
{
    public static readonly int[] Percentiles = [50, 90, 95, 99];

    public static List<ModelResult> Run(RunnerOptions options, TextWriter progress)
    {
        var results = options.Models.Select(m => new ModelResult(m.Name)).ToList();
        foreach (int batch in options.BatchSizes.Distinct())
        {
            var models = new List<TimedModel>();
            try
            {
                foreach (var (_, path) in options.Models)
                {
                    models.Add(new TimedModel(path, batch, options));
                }
                var times = models.Select(_ => new List<double>(options.Iterations * options.Repeats)).ToArray();
                for (int run = 0; run < options.Repeats; run++)
                {
                    for (int i = 0; i < options.Iterations; i++)
                    {
                        for (int m = 0; m < models.Count; m++)
                        {
                            times[m].Add(models[m].RunOnce());
                        }
                    }
                }
                for (int m = 0; m < models.Count; m++)
                {
                    times[m].Sort();
                    double[] values = Percentiles.Select(q => NearestRank(times[m], q)).ToArray();
                    double throughput = batch * times[m].Count / (times[m].Sum() / 1000);
                    results[m].Batches.Add(new BatchResult(batch, values, throughput, times[m].Count));
                }
                progress.WriteLine($"batch {batch}: " + string.Join(", ", results.Select(r => $"{r.Name} p50 {r.Batches[^1].Latencies[0]:0.000} ms")));
            }
            finally
            {
                models.ForEach(m => m.Dispose());
            }
        }
        return results;
    }

    /// <summary>The smallest sample with at least q% of samples at or below it.</summary>
    public static double NearestRank(List<double> sorted, double percentile)
    {
        int rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Gate;

/// <summary>
/// The baseline step of a run: writes the baseline (<c>--update-baseline</c>), warns that it does not
/// exist yet, or compares the run with it (<see cref="BaselineComparer"/>).
/// </summary>
public static partial class BaselineGate
{
    /// <summary>
    /// The committed baseline, read before anything runs so that a file of an older format or a
    /// malformed one fails at once (CMP3103, CMP3104) rather than after training; null when there is
    /// none to compare with (no baseline section, no file yet, or <c>--update-baseline</c>).
    /// </summary>
    public static Baseline? ReadCommitted(LoadedConfig loaded, bool update)
    {
        if (loaded.Config.Baseline is not BaselineConfig config || update)
        {
            return null;
        }
        string path = loaded.Resolve(config.Path);
        return File.Exists(path) ? Baseline.Read(path) : null;
    }

    /// <returns>What the report shows; null when the config has no baseline.</returns>
    public static BaselineComparison? Apply(LoadedConfig loaded, bool update, Baseline? committed, MetricSet metrics, bool[] studentCorrect, List<Finding> findings, IProgress<string> progress)
    {
        BaselineConfig? config = loaded.Config.Baseline;
        if (config is null)
        {
            if (update)
            {
                throw new CompressionException(ErrorCodes.MissingField,
                    "--update-baseline needs a \"baseline\": {\"path\": ...} section in the config", loaded.Locations.Locate(""));
            }
            return null;
        }
        string path = loaded.Resolve(config.Path);
        Baseline current = Evidence(loaded, metrics, studentCorrect);
        if (update)
        {
            current.Write(path);
            progress.Report($"baseline: wrote {path} ({current.StudentCorrect.Length:N0} test samples, accuracy {current.StudentAccuracy * 100:0.00}%)");
            return new BaselineComparison(path, "written", null, null, []);
        }
        if (committed is null)
        {
            findings.Add(new Finding(Severity.Warning, ErrorCodes.BaselineRegression,
                $"baseline file {path} does not exist yet: run `compress run --update-baseline` and commit it", loaded.Locations.Locate("baseline.path")));
            return new BaselineComparison(path, "missing", null, null, []);
        }
        var (comparison, regressions) = BaselineComparer.Compare(path, committed, current, config, loaded.Locations);
        findings.AddRange(regressions);
        if (comparison.Accuracy is AccuracyDelta accuracy)
        {
            progress.Report(string.Create(CultureInfo.InvariantCulture,
                $"baseline: student accuracy {accuracy.Test.Difference.Describe()} against {path} (McNemar's exact test){(accuracy.Regressed ? ": a regression" : "")}"));
        }
        return comparison;
    }

    /// <summary>This run's evidence in the baseline's shape.</summary>
    public static Baseline Evidence(LoadedConfig loaded, MetricSet metrics, bool[] studentCorrect) =>
        new(TestSetIdentity.Of(loaded), studentCorrect, (long)(metrics[MetricNames.StudentModelBytes] ?? 0), LatencyRatios(metrics));

    /// <summary>
    /// Student/teacher p50 latency per batch size, one value per benchmark run: the benchmark's
    /// per-run ratios when it repeated, else the inverse of its one speedup.
    /// </summary>
    public static IReadOnlyDictionary<int, double[]> LatencyRatios(MetricSet metrics)
    {
        var runs = new SortedDictionary<int, SortedDictionary<int, double>>();
        var single = new SortedDictionary<int, double>();
        foreach (Metric metric in metrics.All)
        {
            if (!double.IsFinite(metric.Value) || metric.Value <= 0)
            {
                continue;
            }
            if (RunRatio().Match(metric.Name) is { Success: true } run)
            {
                int batch = int.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture);
                if (!runs.TryGetValue(batch, out var byRun))
                {
                    runs[batch] = byRun = [];
                }
                byRun[int.Parse(run.Groups[2].Value, CultureInfo.InvariantCulture)] = metric.Value;
            }
            else if (Speedup().Match(metric.Name) is { Success: true } speedup)
            {
                single[int.Parse(speedup.Groups[1].Value, CultureInfo.InvariantCulture)] = 1 / metric.Value;
            }
        }
        var ratios = new Dictionary<int, double[]>();
        foreach (var (batch, ratio) in single)
        {
            ratios[batch] = runs.TryGetValue(batch, out var byRun) ? [.. byRun.Values] : [ratio];
        }
        return ratios;
    }

    [GeneratedRegex(@"^latency_ratio\.batch(\d+)\.run(\d+)$")]
    private static partial Regex RunRatio();

    [GeneratedRegex(@"^speedup\.batch(\d+)$")]
    private static partial Regex Speedup();
}

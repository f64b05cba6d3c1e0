using System.Globalization;
using System.Text.RegularExpressions;
using Compression.Abstractions.Metrics;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Onnx;

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
    /// none to compare with (no baseline section, no file yet, or <c>--update-baseline</c>). A path
    /// that names a folder or a device is refused here too, also with <c>--update-baseline</c>,
    /// which would otherwise fail only when it writes, after the whole run.
    /// </summary>
    public static Baseline? ReadCommitted(LoadedConfig loaded, bool update)
    {
        if (loaded.Config.Baseline is not BaselineConfig config)
        {
            return null;
        }
        string path = loaded.Resolve(config.Path);
        foreach (string file in new[] { path, Baseline.ModelPathFor(path) })
        {
            if (NotRegularFile.Check("baseline.path", file, "a baseline file (JSON) and its model beside it, or no file yet", loaded.Locations.LocateValue("baseline.path")) is Finding notRegular)
            {
                throw new CompressionException([notRegular]);
            }
        }
        return !update && File.Exists(path) ? Baseline.Read(path) : null;
    }

    /// <returns>What the report shows; null when the config has no baseline.</returns>
    public static BaselineComparison? Apply(
        LoadedConfig loaded, bool update, Baseline? committed, MetricSet metrics, bool[] studentCorrect, string studentPath,
        List<Finding> findings, IProgress<string> progress, CancellationToken cancellationToken, string? testSetIdentity = null)
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
        Baseline current = Evidence(loaded, metrics, studentCorrect, studentPath, testSetIdentity);
        if (update)
        {
            current.Write(path);
            progress.Report($"baseline: wrote {path} and the student model beside it, {Path.GetFileName(Baseline.ModelPathFor(path))} ({current.StudentCorrect.Length:N0} test samples, {BaselineMeasure.For(loaded.Config.Task)} {current.StudentAccuracy * 100:0.00}%)");
            return new BaselineComparison(path, "written", null, null, []);
        }
        if (committed is null)
        {
            findings.Add(new Finding(Severity.Warning, ErrorCodes.BaselineRegression,
                $"baseline file {path} does not exist yet: run `compress run --update-baseline` and commit it", loaded.Locations.Locate("baseline.path")));
            return new BaselineComparison(path, "missing", null, null, []);
        }
        string measure = BaselineMeasure.For(loaded.Config.Task);
        var (comparison, regressions) = BaselineComparer.Compare(path, committed, current, config, loaded.Locations, measure);
        findings.AddRange(regressions);
        if (comparison.Accuracy is AccuracyDelta accuracy)
        {
            progress.Report(string.Create(CultureInfo.InvariantCulture,
                $"baseline: student {accuracy.Measure} {accuracy.Test.Difference.Describe()} against {path} (McNemar's exact test){(accuracy.Regressed ? ": a regression" : "")}"));
        }
        var latency = CompareLatency(loaded, committed, path, studentPath, BenchmarkedBatchSizes(metrics), findings, progress, cancellationToken);
        findings.AddRange(BaselineComparer.LatencyFindings(latency, path, loaded.Locations));
        return comparison with { Latency = latency };
    }

    /// <summary>This run's evidence in the baseline's shape.</summary>
    /// <param name="testSetIdentity">The run's <see cref="TestSetIdentity"/> (from the digests the loader recorded); computed here when null.</param>
    public static Baseline Evidence(LoadedConfig loaded, MetricSet metrics, bool[] studentCorrect, string studentPath, string? testSetIdentity = null) =>
        new(testSetIdentity ?? TestSetIdentity.Of(loaded), studentCorrect, (long)(metrics[MetricNames.StudentModelBytes] ?? 0), new BaselineModel(studentPath, ContentHash.OfFile(studentPath)));

    /// <summary>
    /// The student timed beside the baseline's model at each batch size the benchmark measured (none
    /// without a benchmark stage: latency is then not part of this build's contract).
    /// </summary>
    private static List<LatencyDelta> CompareLatency(
        LoadedConfig loaded, Baseline committed, string path, string studentPath, IReadOnlyList<int> batchSizes,
        List<Finding> findings, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var latency = new List<LatencyDelta>();
        if (batchSizes.Count == 0)
        {
            return latency;
        }
        BaselineConfig config = loaded.Config.Baseline!;
        if (committed.Model is not BaselineModel model)
        {
            findings.Add(new Finding(Severity.Warning, ErrorCodes.BaselineLatencyNotCompared,
                $"latency is not compared with the baseline {path}: it is of format {Baseline.OldestReadFormat}, which keeps no model to time beside the student; rewrite it with `compress run --update-baseline` and commit it with {Path.GetFileName(Baseline.ModelPathFor(path))}",
                loaded.Locations.Locate("baseline.path")));
            return latency;
        }
        foreach (int batch in batchSizes)
        {
            try
            {
                LatencyDelta delta = BaselineLatency.Compare(model.Path, studentPath, batch, config.LatencyTolerance, config.Confidence, loaded.Config.Seed, cancellationToken);
                latency.Add(delta);
                progress.Report(string.Create(CultureInfo.InvariantCulture,
                    $"baseline: student latency at batch {batch} {delta.Change.Mean:0.00}x the baseline model's ({delta.Change.Low:0.00}x..{delta.Change.High:0.00}x over {delta.Change.N} interleaved rounds): {Verdict(delta.Verdict)}"));
            }
            catch (OnnxFormatException ex)
            {
                findings.Add(new Finding(Severity.Warning, ErrorCodes.BaselineLatencyNotCompared,
                    $"latency at batch {batch} is not compared with the baseline {path}: {ex.Message}", loaded.Locations.Locate("baseline.path")));
            }
        }
        return latency;
    }

    private static string Verdict(LatencyVerdict verdict) => verdict switch
    {
        LatencyVerdict.Regressed => "a regression",
        LatencyVerdict.Inconclusive => "inconclusive",
        _ => "within the tolerance",
    };

    /// <summary>The batch sizes the benchmark stage measured (it reports a speedup for each).</summary>
    public static IReadOnlyList<int> BenchmarkedBatchSizes(MetricSet metrics) =>
        [.. metrics.All.Select(m => Speedup().Match(m.Name)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"^speedup\.batch(\d+)$")]
    private static partial Regex Speedup();
}

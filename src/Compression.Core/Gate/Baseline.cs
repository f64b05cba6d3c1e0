using System.Text.Json;
using Compression.Abstractions.Metrics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Gate;

/// <summary>
/// A committed record of a previous run's key metrics, so a pull request that makes the student
/// worse fails even while it still meets the absolute budgets. Latency is not compared: it is not
/// portable between machines (CI runners differ), which is why budgets use speedup ratios.
/// </summary>
public sealed class Baseline
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Metric name to value.</summary>
    public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);

    public static readonly string[] Tracked = [MetricNames.StudentAccuracy, MetricNames.StudentModelBytes, MetricNames.AccuracyRetention];

    public static Baseline From(MetricSet metrics) => new()
    {
        Metrics = Tracked.Where(n => metrics[n] is not null).ToDictionary(n => n, n => metrics[n]!.Value, StringComparer.Ordinal),
    };

    public static Baseline Read(string path, SourceLocation configuredAt)
    {
        try
        {
            return JsonSerializer.Deserialize<Baseline>(File.ReadAllText(path), s_json)
                ?? throw new JsonException("empty file");
        }
        catch (JsonException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"baseline file {path} is not a baseline written by `compress run --update-baseline`: {ex.Message}", configuredAt);
        }
    }

    public void Write(string path)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, s_json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Regressions beyond the configured tolerances, located at the baseline config.</summary>
    public IReadOnlyList<Finding> Compare(MetricSet current, BaselineConfig tolerances, JsonLocationIndex locations)
    {
        var findings = new List<Finding>();
        if (Metrics.TryGetValue(MetricNames.StudentAccuracy, out double baseAccuracy) && current[MetricNames.StudentAccuracy] is double accuracy
            && (baseAccuracy - accuracy) * 100 > tolerances.AccuracyTolerancePoints)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.BaselineRegression,
                $"student accuracy {accuracy * 100:0.00}% regressed from the baseline {baseAccuracy * 100:0.00}% by more than {tolerances.AccuracyTolerancePoints} points",
                locations.Locate("baseline.accuracyTolerancePoints")));
        }
        if (Metrics.TryGetValue(MetricNames.StudentModelBytes, out double baseBytes) && current[MetricNames.StudentModelBytes] is double bytes
            && bytes > baseBytes * (1 + tolerances.SizeTolerance))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.BaselineRegression,
                $"student model grew to {bytes:N0} bytes from the baseline {baseBytes:N0} bytes, more than {tolerances.SizeTolerance:P0}",
                locations.Locate("baseline.sizeTolerance")));
        }
        return findings;
    }
}

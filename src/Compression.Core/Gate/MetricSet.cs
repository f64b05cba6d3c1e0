using System.Globalization;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Gate;

/// <summary>The metrics of a run by name; a later report of a name replaces an earlier one.</summary>
public sealed class MetricSet
{
    private readonly Dictionary<string, Metric> _metrics = new(StringComparer.Ordinal);

    public void Add(Metric metric) => _metrics[metric.Name] = metric;

    public void AddRange(IEnumerable<Metric> metrics)
    {
        foreach (Metric metric in metrics)
        {
            Add(metric);
        }
    }

    /// <summary>A metric's value; null when it was not measured or came out NaN or infinite (shown as "-", never judged).</summary>
    public double? this[string name] => _metrics.TryGetValue(name, out Metric? metric) && double.IsFinite(metric.Value) ? metric.Value : null;

    /// <summary>The metric as reported, whatever its value (NaN and infinities included), or null when no one reported it.</summary>
    public Metric? Reported(string name) => _metrics.GetValueOrDefault(name);

    public IReadOnlyList<Metric> All => _metrics.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary>A value formatted for messages, e.g. 0.962 or 12.3.</summary>
    public static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>A configured limit as <paramref name="format"/> (default <see cref="Format(double)"/>) writes it, or in full when that would round it (a budget of 0.0005 is not "0").</summary>
    public static string FormatLimit(double limit, string? format = null)
    {
        string formatted = format is null ? Format(limit) : limit.ToString(format, CultureInfo.InvariantCulture);
        return double.TryParse(formatted, NumberStyles.Any, CultureInfo.InvariantCulture, out double parsed) && parsed == limit
            ? formatted
            : limit.ToString("R", CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Text.Json;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Provenance;

/// <summary>
/// The provenance a shipped model carries in its ONNX <c>metadata_props</c> (keys <c>compression.*</c>),
/// so the file says where it came from without its BOM: tool version, config and teacher hashes,
/// the stages with their settings hashes, and the key metrics. <c>compress inspect</c> prints it.
/// </summary>
public static class LineageMetadata
{
    public const string Prefix = "compression.";
    public const string FormatKey = "compression.provenance";
    public const string ToolKey = "compression.tool_version";
    public const string ConfigKey = "compression.config_sha256";
    public const string TeacherKey = "compression.teacher";
    public const string TeacherHashKey = "compression.teacher_sha256";
    public const string TeacherLicenseKey = "compression.teacher_license";
    public const string DataKey = "compression.data_sha256";
    public const string LineageKey = "compression.lineage";
    public const string MetricsKey = "compression.metrics";
    public const string BomKey = "compression.bom_serial";

    /// <summary>The metrics a model carries: accuracy, retention, calibration, latency and size.</summary>
    public static IReadOnlyList<string> KeyMetrics { get; } =
    [
        MetricNames.StudentAccuracy, MetricNames.TeacherAccuracy, MetricNames.AccuracyRetention, MetricNames.StudentEce, MetricNames.StudentNll,
        MetricNames.Latency("student", 50, 1), MetricNames.Speedup(1), MetricNames.StudentModelBytes, MetricNames.StudentParameters,
        MetricNames.DistillationGainPoints,
    ];

    /// <summary>The metadata entries for a record, in a fixed order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(ProvenanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        TeacherIdentity teacher = record.Teacher;
        var lineage = new List<Dictionary<string, object>>();
        foreach (TeacherIdentity t in record.Teachers)
        {
            lineage.Add(new() { ["step"] = "teacher", ["name"] = t.Name, ["sha256"] = t.ModelSha256, ["source"] = t.FromSpec ? "spec trained by the pipeline" : t.IsAppModel ? "the app's model (onnx)" : "onnx" });
        }
        foreach (LineageStep step in record.Lineage)
        {
            lineage.Add(new() { ["step"] = step.Id, ["version"] = step.Version, ["settings_sha256"] = step.SettingsSha256, ["cache_key"] = step.CacheKey });
        }
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (string name in KeyMetrics)
        {
            if (record.Metric(name) is double value)
            {
                metrics[name] = Math.Round(value, 6);
            }
        }
        string data = string.Join(";", record.Data.SelectMany(d => d.Files).Select(f => $"{f.Role}={f.Sha256}"));
        return
        [
            new(FormatKey, "1"),
            new(ToolKey, record.ToolVersion),
            new(ConfigKey, record.Config.Sha256),
            new(TeacherKey, teacher.Name),
            new(TeacherHashKey, teacher.ModelSha256),
            new(TeacherLicenseKey, teacher.License.Expression?.ToString() ?? (teacher.FromSpec ? "none (trained by the pipeline from a spec)" : "none declared")),
            new(DataKey, data),
            new(LineageKey, JsonSerializer.Serialize(lineage)),
            new(MetricsKey, JsonSerializer.Serialize(metrics)),
            new(BomKey, record.SerialNumber),
        ];
    }

    /// <summary>The lineage as one line: <c>teacher 1a2b3c4d -> distill (settings 5e6f7a8b) -> export (...)</c>.</summary>
    public static string Describe(string lineageJson)
    {
        using JsonDocument document = JsonDocument.Parse(lineageJson);
        var parts = new List<string>();
        foreach (JsonElement step in document.RootElement.EnumerateArray())
        {
            string name = step.GetProperty("step").GetString() ?? "?";
            if (step.TryGetProperty("sha256", out JsonElement sha))
            {
                string teacherName = step.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "" : "";
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} '{teacherName}' sha256:{Short(sha.GetString())}"));
            }
            else
            {
                string settings = step.TryGetProperty("settings_sha256", out JsonElement s) ? Short(s.GetString()) : "?";
                parts.Add($"{name} (settings sha256:{settings})");
            }
        }
        return string.Join(" -> ", parts);
    }

    private static string Short(string? hash) => hash is null ? "?" : hash.Length > 12 ? hash[..12] : hash;
}

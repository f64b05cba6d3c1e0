using System.Globalization;
using System.Text;
using System.Text.Json;
using Compression.Abstractions.Metrics;
using Compression.Core.Provenance.Licensing;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Core.Provenance.Bom;

/// <summary>
/// Writes a run's ML bill of materials as CycloneDX 1.6 JSON: the student as a
/// <c>machine-learning-model</c> component (the BOM's subject) with its model card (approach, task,
/// architecture, data sets, and this run's measured metrics) and its teachers in its pedigree; the
/// data splits (with their files), compression.json and every plugin assembly as components; the tool
/// under metadata.tools; SHA-256 hashes throughout. Written by hand with Utf8JsonWriter because the
/// CycloneDX .NET library does not restore from our NuGet feed; a test validates the output with the
/// CycloneDX project's own JavaScript library against the official 1.6 schema.
/// </summary>
public static class CycloneDxBom
{
    public const string FileName = "bom.cdx.json";
    private const string StudentRef = "model:student";
    private const string ConfigRef = "file:compression.json";

    /// <summary>The BOM as JSON text.</summary>
    /// <param name="record">What made the model.</param>
    /// <param name="model">The model the BOM describes (the shipped file, or the pipeline's student), hashed.</param>
    /// <param name="timestamp">When the BOM was made.</param>
    public static string Write(ProvenanceRecord record, HashedFile model, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", "1.6");
            json.WriteString("serialNumber", record.SerialNumber);
            json.WriteNumber("version", 1);
            WriteMetadata(json, record, model, timestamp);
            json.WriteStartArray("components");
            foreach (DataSetIdentity data in record.Data)
            {
                WriteDataSet(json, data);
            }
            json.WriteStartObject();
            json.WriteString("type", "file");
            json.WriteString("bom-ref", ConfigRef);
            json.WriteString("name", Path.GetFileName(record.Config.Path));
            json.WriteString("description", "The pipeline's configuration: teacher, data, stages with their settings, budgets, licence policy.");
            WriteHashes(json, record.Config.Sha256);
            WriteProperties(json, ("compression:path", record.Config.Path));
            json.WriteEndObject();
            foreach (PluginAssembly plugin in record.Plugins)
            {
                json.WriteStartObject();
                json.WriteString("type", "library");
                json.WriteString("bom-ref", PluginRef(plugin));
                json.WriteString("name", plugin.Name);
                json.WriteString("version", plugin.Version);
                json.WriteString("scope", "excluded");
                WriteHashes(json, plugin.Sha256);
                WriteProperties(json, ("compression:path", plugin.Path));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("dependencies");
            json.WriteStartObject();
            json.WriteString("ref", StudentRef);
            json.WriteStartArray("dependsOn");
            foreach (DataSetIdentity data in record.Data)
            {
                json.WriteStringValue(DataRef(data));
            }
            json.WriteStringValue(ConfigRef);
            foreach (PluginAssembly plugin in record.Plugins)
            {
                json.WriteStringValue(PluginRef(plugin));
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteMetadata(Utf8JsonWriter json, ProvenanceRecord record, HashedFile model, DateTimeOffset timestamp)
    {
        json.WriteStartObject("metadata");
        json.WriteString("timestamp", timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("bom-ref", "tool:compress");
        json.WriteString("name", "compress");
        json.WriteString("version", record.ToolVersion);
        json.WriteString("description", "Compression: distils, quantizes, calibrates and gates models inside dotnet build; made this model and this BOM.");
        WriteHashes(json, record.Tool.Sha256);
        WriteProperties(json, ("compression:path", record.Tool.Path));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        WriteStudent(json, record, model);
        json.WriteEndObject();
    }

    private static void WriteStudent(Utf8JsonWriter json, ProvenanceRecord record, HashedFile model)
    {
        json.WriteStartObject("component");
        json.WriteString("type", "machine-learning-model");
        json.WriteString("bom-ref", StudentRef);
        json.WriteString("name", Path.GetFileName(model.Path));
        json.WriteString("description", record.Teacher.IsAppModel
            ? $"The app's model {Path.GetFileName(record.Teacher.Source.Path)} compressed by compress {record.ToolVersion}: {LineageText(record)}"
            : $"Student distilled from teacher '{record.Teacher.Name}' by compress {record.ToolVersion}: {LineageText(record)}");
        WriteHashes(json, model.Sha256);
        json.WriteStartObject("pedigree");
        json.WriteStartArray("ancestors");
        foreach (TeacherIdentity teacher in record.Teachers)
        {
            WriteTeacher(json, teacher);
        }
        json.WriteEndArray();
        json.WriteString("notes", $"Lineage: {LineageText(record)}");
        json.WriteEndObject();
        WriteModelCard(json, record);
        var properties = new List<(string, string)> { ("compression:path", model.Path), ("compression:config_sha256", record.Config.Sha256) };
        properties.AddRange(record.Lineage.Select(s => ($"compression:stage:{s.Id}",
            $"version {s.Version}; settings sha256 {s.SettingsSha256}; cache key {s.CacheKey}{(s.FromCache ? "; reused from the cache" : "")}")));
        WriteProperties(json, [.. properties]);
        json.WriteEndObject();
    }

    private static void WriteTeacher(Utf8JsonWriter json, TeacherIdentity teacher)
    {
        json.WriteStartObject();
        json.WriteString("type", "machine-learning-model");
        json.WriteString("bom-ref", $"model:teacher:{teacher.Name}");
        json.WriteString("name", teacher.FromSpec ? teacher.Name : Path.GetFileName(teacher.Source.Path));
        json.WriteString("description", teacher.FromSpec
            ? $"Teacher '{teacher.Name}', trained by the pipeline from the spec in compression.json; {teacher.Parameters:N0} parameters"
            : teacher.IsAppModel
                ? $"The app's model, the run's starting point and reference; {teacher.Parameters:N0} parameters"
                : teacher.License.Source == LicenseSource.Package
                    ? $"Teacher '{teacher.Name}', the sentence encoder all-MiniLM-L6-v2 from the NuGet package {MiniLmPackage.PackageId} {MiniLmPackage.Version}; {teacher.Parameters:N0} parameters"
                    : $"Teacher '{teacher.Name}', an ONNX model; {teacher.Parameters:N0} parameters");
        WriteHashes(json, teacher.ModelSha256);
        WriteLicense(json, teacher.License);
        var properties = new List<(string, string)>
        {
            ("compression:source", teacher.Source.Path),
            ("compression:source_sha256", teacher.Source.Sha256),
            ("compression:license_source", teacher.License.Source.ToString()),
        };
        if (teacher.License.Source == LicenseSource.Package)
        {
            // Two licences: the weights' (the component's, above) and the package's they were taken from.
            properties.Add(("compression:package", $"{MiniLmPackage.PackageId} {MiniLmPackage.Version}"));
            properties.Add(("compression:package_license", MiniLmPackage.PackageLicense));
            properties.Add(("compression:model_card", MiniLmPackage.ModelCardUrl));
        }
        properties.AddRange(teacher.License.Terms.Select(t => ("compression:license_term", t)));
        WriteProperties(json, [.. properties]);
        json.WriteEndObject();
    }

    private static void WriteModelCard(Utf8JsonWriter json, ProvenanceRecord record)
    {
        json.WriteStartObject("modelCard");
        json.WriteStartObject("modelParameters");
        json.WriteStartObject("approach");
        json.WriteString("type", record.Student.Approach);
        json.WriteEndObject();
        json.WriteString("task", "classification");
        json.WriteString("architectureFamily", record.Student.Family);
        json.WriteString("modelArchitecture", record.Student.Architecture);
        json.WriteStartArray("datasets");
        foreach (DataSetIdentity data in record.Data)
        {
            json.WriteStartObject();
            json.WriteString("ref", DataRef(data));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("inputs");
        json.WriteStartObject();
        json.WriteString("format", record.Student.Input);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("outputs");
        json.WriteStartObject();
        json.WriteString("format", record.Student.Output);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("quantitativeAnalysis");
        json.WriteStartArray("performanceMetrics");
        foreach (var (name, type, slice) in s_cardMetrics)
        {
            if (record.Metric(name) is double value)
            {
                json.WriteStartObject();
                json.WriteString("type", type);
                json.WriteString("value", value.ToString("R", CultureInfo.InvariantCulture));
                json.WriteString("slice", slice);
                if (name == MetricNames.DistillationGainPoints
                    && record.Metric(MetricNames.DistillationGainLowPoints) is double low && record.Metric(MetricNames.DistillationGainHighPoints) is double high)
                {
                    json.WriteStartObject("confidenceInterval");
                    json.WriteString("lowerBound", low.ToString("R", CultureInfo.InvariantCulture));
                    json.WriteString("upperBound", high.ToString("R", CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Metrics the model card reports (metric name, CycloneDX type, slice), when this run measured them.</summary>
    private static readonly (string Name, string Type, string Slice)[] s_cardMetrics =
    [
        (MetricNames.StudentAccuracy, "accuracy", "test split"),
        (MetricNames.TeacherAccuracy, "teacher accuracy", "test split"),
        (MetricNames.AccuracyRetention, "accuracy retention (student / teacher)", "test split"),
        (MetricNames.StudentEce, "expected calibration error (15 bins)", "test split"),
        (MetricNames.StudentNll, "negative log-likelihood (nats per sample)", "test split"),
        (MetricNames.Latency("student", 50, 1), "p50 latency (ms)", "batch 1, ONNX Runtime CPU, one intra-op thread"),
        (MetricNames.Latency("student", 95, 1), "p95 latency (ms)", "batch 1, ONNX Runtime CPU, one intra-op thread"),
        (MetricNames.Speedup(1), "speedup over the teacher (p50 latency ratio)", "batch 1, measured in one interleaved run"),
        (MetricNames.StudentModelBytes, "model size (bytes)", "the pipeline's ONNX file"),
        (MetricNames.StudentParameters, "parameters", "whole model"),
        (MetricNames.DistillationGainPoints, "distillation gain over scratch (accuracy points)", "test split; 95% interval"),
    ];

    private static void WriteDataSet(Utf8JsonWriter json, DataSetIdentity data)
    {
        json.WriteStartObject();
        json.WriteString("type", "data");
        json.WriteString("bom-ref", DataRef(data));
        json.WriteString("name", data.Split);
        json.WriteString("description", data.Samples >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"The {data.Split} split: {data.Samples:N0} samples")
            : $"The {data.Split} split (unlabelled)");
        if (data.License is { } licence)
        {
            WriteLicense(json, licence);
        }
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("type", "dataset");
        json.WriteString("name", data.Split);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("components");
        foreach (HashedFile file in data.Files)
        {
            json.WriteStartObject();
            json.WriteString("type", "file");
            json.WriteString("bom-ref", $"file:{file.Role}");
            json.WriteString("name", Path.GetFileName(file.Path));
            WriteHashes(json, file.Sha256);
            WriteProperties(json, ("compression:path", file.Path), ("compression:role", file.Role));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (data.License is { Terms.Count: > 0 } withTerms)
        {
            WriteProperties(json, [.. withTerms.Terms.Select(t => ("compression:license_term", t))]);
        }
        json.WriteEndObject();
    }

    private static void WriteLicense(Utf8JsonWriter json, LicensedInput licence)
    {
        if (licence.Expression is null)
        {
            return;
        }
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteString("expression", licence.Expression.ToString());
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteHashes(Utf8JsonWriter json, string sha256)
    {
        json.WriteStartArray("hashes");
        json.WriteStartObject();
        json.WriteString("alg", "SHA-256");
        json.WriteString("content", sha256);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter json, params (string Name, string Value)[] properties)
    {
        json.WriteStartArray("properties");
        foreach (var (name, value) in properties)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string LineageText(ProvenanceRecord record) =>
        string.Join(" -> ", record.Teachers.Select(t => $"{t.Label} (sha256 {t.ModelSha256[..12]})")
            .Concat(record.Lineage.Select(s => $"{s.Id} (settings sha256 {s.SettingsSha256[..12]})")));

    private static string DataRef(DataSetIdentity data) => $"data:{data.Split}";

    private static string PluginRef(PluginAssembly plugin) => $"library:{plugin.Name}@{plugin.Sha256[..12]}";
}

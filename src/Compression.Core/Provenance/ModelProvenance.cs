using System.Globalization;
using System.Text.Json;
using Compression.Core.Diagnostics;
using Compression.Core.Results;
using Compression.Onnx;

namespace Compression.Core.Provenance;

/// <summary>Reads the lineage a shipped model carries (<see cref="LineageMetadata"/>) and lays it out for <c>compress inspect</c>.</summary>
public static class ModelProvenance
{
    /// <summary>The lines to print for a model file.</summary>
    /// <exception cref="CompressionException">The file is missing, is not an ONNX model, or carries no provenance.</exception>
    public static IReadOnlyList<string> Describe(string modelPath)
    {
        string full = Path.GetFullPath(modelPath);
        if (Compression.Data.RegularFile.NotRegular(full) is string kind)
        {
            throw new CompressionException(ErrorCodes.DataNotRegularFile, $"{full} is {kind}: expected an ONNX model file", new SourceLocation(full));
        }
        if (!File.Exists(full))
        {
            throw new CompressionException(ErrorCodes.DataNotFound, $"model not found: {full}", new SourceLocation(full));
        }
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            metadata = OnnxMetadata.Read(full);
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.NotAnOnnxModel, ex.Message, new SourceLocation(full));
        }
        if (!metadata.TryGetValue(LineageMetadata.FormatKey, out string? format))
        {
            throw new CompressionException(ErrorCodes.ModelWithoutProvenance,
                $"{full} carries no provenance (no metadata key {LineageMetadata.FormatKey}): only the model.onnx a build ships has it; the pipeline's copies in obj/compression/cache do not", new SourceLocation(full));
        }
        var lines = new List<string> { full };
        void Add(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                lines.Add($"  {label,-14}{value}");
            }
        }
        Add("provenance", $"format {format}");
        Add("made by", metadata.TryGetValue(LineageMetadata.ToolKey, out string? tool) ? $"compress {tool}" : null);
        Add("config", metadata.TryGetValue(LineageMetadata.ConfigKey, out string? config) ? $"compression.json sha256 {config}" : null);
        if (metadata.TryGetValue(LineageMetadata.TeacherKey, out string? teacher))
        {
            Add("teacher", $"'{teacher}' sha256 {metadata.GetValueOrDefault(LineageMetadata.TeacherHashKey)}, licence {metadata.GetValueOrDefault(LineageMetadata.TeacherLicenseKey) ?? "unknown"}");
        }
        foreach (string file in (metadata.GetValueOrDefault(LineageMetadata.DataKey) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            Add("data", file.Replace("=", " sha256 ", StringComparison.Ordinal));
        }
        if (metadata.TryGetValue(LineageMetadata.LineageKey, out string? lineage))
        {
            try
            {
                Add("lineage", LineageMetadata.Describe(lineage));
                using JsonDocument steps = JsonDocument.Parse(lineage);
                foreach (JsonElement step in steps.RootElement.EnumerateArray().Where(s => s.TryGetProperty("cache_key", out _)))
                {
                    Add($"  {step.GetProperty("step").GetString()}",
                        $"version {Text(step, "version")}, settings sha256 {Text(step, "settings_sha256")}, cache key {Text(step, "cache_key")}");
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                Add("lineage", $"(unreadable: {lineage})");
            }
        }
        if (metadata.TryGetValue(LineageMetadata.MetricsKey, out string? metrics))
        {
            try
            {
                using JsonDocument values = JsonDocument.Parse(metrics);
                foreach (JsonProperty metric in values.RootElement.EnumerateObject())
                {
                    Add("metric", $"{metric.Name} = {metric.Value.GetDouble().ToString("G6", CultureInfo.InvariantCulture)}");
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                Add("metrics", $"(unreadable: {metrics})");
            }
        }
        Add("input", metadata.GetValueOrDefault(ShippedModel.InputMetadataKey));
        Add("bom serial", metadata.GetValueOrDefault(LineageMetadata.BomKey));
        return lines;
    }

    private static string Text(JsonElement step, string name) => step.TryGetProperty(name, out JsonElement value) ? value.ToString() : "?";
}

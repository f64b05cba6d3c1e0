using System.Text.Json;

namespace Compression.Build;

/// <summary>
/// Reads the findings.sarif that <c>compress run</c> writes in its work folder (SARIF 2.1.0): what
/// the task reports as MSBuild errors and warnings, so no message text is parsed. Only the subset
/// compress writes is read: each result's rule id, level, message and first physical location.
/// </summary>
public static class SarifFindings
{
    /// <summary>The file name compress writes in the work folder.</summary>
    public const string FileName = "findings.sarif";

    /// <summary>The findings, or null when the file is missing or not the SARIF compress writes.</summary>
    public static IReadOnlyList<OutputLine.Finding>? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            var findings = new List<OutputLine.Finding>();
            foreach (JsonElement run in document.RootElement.GetProperty("runs").EnumerateArray())
            {
                foreach (JsonElement result in run.GetProperty("results").EnumerateArray())
                {
                    findings.Add(Read(result));
                }
            }
            return findings;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UriFormatException)
        {
            return null;
        }
    }

    private static OutputLine.Finding Read(JsonElement result)
    {
        string? file = null;
        int line = 0;
        int column = 0;
        if (result.TryGetProperty("locations", out JsonElement locations) && locations.GetArrayLength() > 0
            && locations[0].TryGetProperty("physicalLocation", out JsonElement physical))
        {
            file = new Uri(physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath;
            if (physical.TryGetProperty("region", out JsonElement region))
            {
                line = region.TryGetProperty("startLine", out JsonElement l) ? l.GetInt32() : 0;
                column = region.TryGetProperty("startColumn", out JsonElement c) ? c.GetInt32() : 0;
            }
        }
        return new OutputLine.Finding(
            string.Equals(result.GetProperty("level").GetString(), "error", StringComparison.Ordinal),
            result.GetProperty("ruleId").GetString()!,
            file,
            line,
            column,
            result.GetProperty("message").GetProperty("text").GetString()!);
    }
}

using Compression.Abstractions.Artifacts;
using System.Text.Json;
using Compression.Core.Diagnostics;

namespace Compression.Core.Results;

/// <summary>
/// The run's findings as SARIF 2.1.0 (<c>findings.sarif</c> in the work folder), the format IDEs, the
/// MSBuild task, the GitHub action and GitHub code scanning read, so no reader parses message text.
/// Written for every outcome of <c>compress run</c>: passed, gate failed, bad input, cancelled and
/// internal error (the invocation's exit code says which). Hand-written with Utf8JsonWriter: no
/// SARIF writer among the packages this project restores targets .NET 10 without pulling in
/// Newtonsoft.Json, and the subset used here (rules, results, physical locations, one invocation)
/// is small; a test validates the output against the official 2.1.0 schema.
/// </summary>
public static class SarifLog
{
    /// <summary>The file name in the work folder.</summary>
    public const string FileName = "findings.sarif";

    /// <summary>Where the error codes are documented (each rule's help).</summary>
    public const string ErrorCodesDocument = "docs/error-codes.md";

    /// <summary>Writes <paramref name="findings"/> atomically to <paramref name="path"/>.</summary>
    /// <param name="budgetMissesAsWarnings"><c>--warn-only</c>: missed budgets are reported as warnings, as on the console.</param>
    /// <param name="exitCode">The exit code of the run these findings end.</param>
    public static void Write(string path, IReadOnlyList<Finding> findings, bool budgetMissesAsWarnings, int exitCode)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, findings);
            json.WriteStartArray("invocations");
            json.WriteStartObject();
            json.WriteBoolean("executionSuccessful", exitCode is 0 or 1);
            json.WriteNumber("exitCode", exitCode);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("results");
            foreach (Finding finding in findings)
            {
                WriteResult(json, finding, budgetMissesAsWarnings);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        AtomicFile.WriteAllText(path, System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
    }

    private static void WriteTool(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "compress");
        json.WriteString("version", Provenance.ProvenanceCollector.ToolVersion);
        json.WriteStartArray("rules");
        foreach (string code in findings.Select(f => f.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("id", code);
            json.WriteStartObject("help");
            json.WriteString("text", $"{code}: see {ErrorCodesDocument} of the Compression repository");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, Finding finding, bool budgetMissesAsWarnings)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Code);
        json.WriteString("level", finding.ReportedSeverity(budgetMissesAsWarnings) == Severity.Error ? "error" : "warning");
        json.WriteStartObject("message");
        json.WriteString("text", finding.Message);
        json.WriteEndObject();
        if (finding.Location is SourceLocation location && location.FilePath.Length > 0)
        {
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", Uri(location.FilePath));
            json.WriteEndObject();
            if (location.Line > 0)
            {
                json.WriteStartObject("region");
                json.WriteNumber("startLine", location.Line);
                if (location.Column > 0)
                {
                    json.WriteNumber("startColumn", location.Column);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>An absolute file URI for a path (SARIF artifact locations are URIs).</summary>
    private static string Uri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;
}

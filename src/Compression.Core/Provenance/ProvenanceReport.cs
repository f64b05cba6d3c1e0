using System.Text;
using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Provenance;

/// <summary>The provenance section of report.md: where the BOM is, the lineage, and each input's licence and hash.</summary>
public static class ProvenanceReport
{
    public static string ToMarkdown(ProvenanceRecord record, string bomPath)
    {
        ArgumentNullException.ThrowIfNull(record);
        var md = new StringBuilder();
        md.AppendLine("## Provenance");
        md.AppendLine();
        md.AppendLine($"ML-BOM: `{Path.GetFileName(bomPath)}` (CycloneDX 1.6, {record.SerialNumber}); compress {record.ToolVersion}; compression.json sha256 `{Short(record.Config.Sha256)}`.");
        md.AppendLine();
        md.AppendLine("Lineage: " + string.Join(" -> ", record.Teachers.Select(t => $"{t.Label} (`{Short(t.ModelSha256)}`)")
            .Concat(record.Lineage.Select(s => $"{s.Id} (settings `{Short(s.SettingsSha256)}`)"))));
        md.AppendLine();
        md.AppendLine("| input | licence | declared in | terms | sha256 |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (TeacherIdentity teacher in record.Teachers)
        {
            string licence = teacher.License.Expression is null && teacher.FromSpec ? "none (trained here from a spec)" : Licence(teacher.License);
            md.AppendLine($"| {teacher.Label} | {licence} | {Where(teacher.License)} | {Terms(teacher.License)} | `{Short(teacher.ModelSha256)}` |");
        }
        foreach (DataSetIdentity data in record.Data)
        {
            string hashes = string.Join(", ", data.Files.Select(f => $"`{Short(f.Sha256)}`"));
            md.AppendLine($"| {data.Split} data | {Licence(data.License)} | {Where(data.License)} | {Terms(data.License)} | {hashes} |");
        }
        return md.ToString();
    }

    private static string Licence(LicensedInput? input) => input?.Expression?.ToString() ?? "none declared";

    private static string Where(LicensedInput? input) => input?.Source switch
    {
        LicenseSource.Config => $"`{input.LicensePath}`",
        LicenseSource.OnnxMetadata => "the ONNX file's metadata",
        LicenseSource.Package => $"the model card of the weights in {Compression.Models.Evaluation.Embeddings.MiniLmPackage.PackageId} {Compression.Models.Evaluation.Embeddings.MiniLmPackage.Version} (the package itself: {Compression.Models.Evaluation.Embeddings.MiniLmPackage.PackageLicense})",
        _ => "-",
    };

    private static string Terms(LicensedInput? input) => input is { Terms.Count: > 0 } ? string.Join(", ", input.Terms) : "-";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}

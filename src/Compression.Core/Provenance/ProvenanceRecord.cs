using System.Security.Cryptography;
using System.Text;
using Compression.Abstractions.Metrics;

namespace Compression.Core.Provenance;

/// <summary>
/// Everything that made the shipped model, identified by content: the tool, compression.json, the
/// teachers, the data files, the plugin assemblies, and each stage with its settings hash and cache
/// key, plus what the run measured. The ML-BOM and the model's metadata are written from it.
/// </summary>
public sealed record ProvenanceRecord(
    string ToolVersion,
    HashedFile Tool,
    HashedFile Config,
    IReadOnlyList<TeacherIdentity> Teachers,
    IReadOnlyList<DataSetIdentity> Data,
    IReadOnlyList<PluginAssembly> Plugins,
    IReadOnlyList<LineageStep> Lineage,
    ModelDescription Student,
    IReadOnlyList<Metric> Metrics)
{
    /// <summary>
    /// The BOM's serial number, a UUID made from the record's identities (tool, config, teachers, data,
    /// every stage's cache key), so the same inputs give the same serial and the shipped model, which
    /// carries it, stays byte-for-byte reproducible.
    /// </summary>
    public string SerialNumber
    {
        get
        {
            var text = new StringBuilder("provenance/1");
            text.Append('\n').Append(Tool.Sha256).Append('\n').Append(Config.Sha256);
            foreach (TeacherIdentity teacher in Teachers)
            {
                text.Append('\n').Append(teacher.ModelSha256);
            }
            foreach (HashedFile file in Data.SelectMany(d => d.Files))
            {
                text.Append('\n').Append(file.Sha256);
            }
            foreach (LineageStep step in Lineage)
            {
                text.Append('\n').Append(step.CacheKey);
            }
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
            // RFC 9562 version 8 (custom) UUID: version and variant bits set, the rest from the hash.
            hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            string hex = Convert.ToHexStringLower(hash, 0, 16);
            return $"urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
        }
    }

    /// <summary>The primary teacher (the one the gate compares with).</summary>
    public TeacherIdentity Teacher => Teachers[0];

    /// <summary>A metric's value, or null when absent or not finite.</summary>
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value is double v && double.IsFinite(v) ? v : null;
}

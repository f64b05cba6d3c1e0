using System.Text.Json.Nodes;
using Compression.Abstractions.Metrics;
using Compression.Core.Provenance;
using Compression.Core.Provenance.Bom;
using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Tests.Provenance;

/// <summary>
/// What the CycloneDX schema cannot check about our BOM: bom-refs are unique and every reference
/// points at one, and each figure is this run's. (Schema validity is tested end to end with
/// CycloneDX's own library: tests/Compression.EndToEnd.Tests/ProvenanceTests.cs.)
/// </summary>
public class CycloneDxBomTests
{
    private static ProvenanceRecord Rich()
    {
        ProvenanceRecord sample = ProvenanceRecords.Sample();
        var dataLicence = new LicensedInput("data", "test", "data.test", "data.license", LicenseSource.Config, SpdxParser.Parse("MIT AND CC-BY-SA-3.0"), ["non-commercial"]);
        return sample with
        {
            Data = [.. sample.Data, new DataSetIdentity("test", [new HashedFile("test.features", "/x/t.gz", new string('5', 64)), new HashedFile("test.labels", "/x/l.gz", new string('6', 64))], 200, dataLicence)],
            Plugins =
            [
                new PluginAssembly("Compression.Plugins.Distillation", "0.1.0.0", "/p/a/Compression.Plugins.Distillation.dll", new string('7', 64)),
                new PluginAssembly("Shared", "1.0.0.0", "/p/a/Shared.dll", new string('8', 64)),
                new PluginAssembly("Shared", "2.0.0.0", "/p/b/Shared.dll", new string('9', 64)),
            ],
            Metrics =
            [
                .. sample.Metrics,
                new Metric(MetricNames.DistillationGainPoints, 0.2, "points"),
                new Metric(MetricNames.DistillationGainLowPoints, -0.69, "points"),
                new Metric(MetricNames.DistillationGainHighPoints, 1.09, "points"),
            ],
        };
    }

    private static IEnumerable<JsonNode> All(JsonNode node) => node switch
    {
        JsonObject o => new[] { node }.Concat(o.SelectMany(p => p.Value is null ? [] : All(p.Value))),
        JsonArray a => a.SelectMany(i => i is null ? [] : All(i)),
        _ => [],
    };

    [Fact]
    public void Every_bom_ref_is_unique_and_every_reference_points_at_one()
    {
        JsonNode bom = JsonNode.Parse(CycloneDxBom.Write(Rich(), new HashedFile("model", "/out/model.onnx", new string('0', 64)), DateTimeOffset.UnixEpoch))!;

        var defined = All(bom).OfType<JsonObject>().Where(o => o.ContainsKey("bom-ref")).Select(o => o["bom-ref"]!.GetValue<string>()).ToList();
        Assert.Equal(defined.Count, defined.Distinct(StringComparer.Ordinal).Count());
        var referenced = All(bom).OfType<JsonObject>().SelectMany(o =>
            (o["ref"] is JsonValue r ? [r.GetValue<string>()] : Enumerable.Empty<string>())
            .Concat(o["dependsOn"] is JsonArray d ? d.Select(x => x!.GetValue<string>()) : [])).ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, r => Assert.Contains(r, defined));
        Assert.Equal(2, defined.Count(d => d.StartsWith("library:Shared@", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_student_is_the_subject_with_its_teacher_in_its_pedigree_and_this_runs_figures()
    {
        ProvenanceRecord record = Rich();
        JsonNode bom = JsonNode.Parse(CycloneDxBom.Write(record, new HashedFile("model", "/out/model.onnx", new string('0', 64)), DateTimeOffset.UnixEpoch))!;

        Assert.Equal(("CycloneDX", "1.6", record.SerialNumber), (bom["bomFormat"]!.GetValue<string>(), bom["specVersion"]!.GetValue<string>(), bom["serialNumber"]!.GetValue<string>()));
        Assert.Equal("1970-01-01T00:00:00Z", bom["metadata"]!["timestamp"]!.GetValue<string>());
        JsonNode student = bom["metadata"]!["component"]!;
        Assert.Equal(("machine-learning-model", "model.onnx", new string('0', 64)), (student["type"]!.GetValue<string>(), student["name"]!.GetValue<string>(), student["hashes"]![0]!["content"]!.GetValue<string>()));
        JsonNode teacher = student["pedigree"]!["ancestors"]![0]!;
        Assert.Equal((new string('b', 64), "Apache-2.0"), (teacher["hashes"]![0]!["content"]!.GetValue<string>(), teacher["licenses"]![0]!["expression"]!.GetValue<string>()));
        var metrics = student["modelCard"]!["quantitativeAnalysis"]!["performanceMetrics"]!.AsArray();
        Assert.Equal(["accuracy", "distillation gain over scratch (accuracy points)"], metrics.Select(m => m!["type"]!.GetValue<string>()));
        Assert.Equal(("-0.69", "1.09"), (metrics[1]!["confidenceInterval"]!["lowerBound"]!.GetValue<string>(), metrics[1]!["confidenceInterval"]!["upperBound"]!.GetValue<string>()));
        Assert.Contains(student["properties"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "compression:stage:export"
            && p["value"]!.GetValue<string>() == $"version 2; settings sha256 {new string('2', 64)}; cache key {new string('f', 64)}; reused from the cache");
        var components = bom["components"]!.AsArray();
        JsonNode test = components.Single(c => c!["bom-ref"]!.GetValue<string>() == "data:test")!;
        Assert.Equal("MIT AND CC-BY-SA-3.0", test["licenses"]![0]!["expression"]!.GetValue<string>());
        Assert.Equal(["t.gz", "l.gz"], test["components"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Null(components.Single(c => c!["bom-ref"]!.GetValue<string>() == "data:train")!["licenses"]);
    }
}

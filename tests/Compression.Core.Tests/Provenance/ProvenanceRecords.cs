using Compression.Abstractions.Metrics;
using Compression.Core.Provenance;
using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Tests.Provenance;

/// <summary>A small hand-made provenance record with recognisable hashes.</summary>
internal static class ProvenanceRecords
{
    public static ProvenanceRecord Sample()
    {
        var licence = new LicensedInput("teacher", "teacher", "teacher", "teacher.license", LicenseSource.Config, SpdxParser.Parse("Apache-2.0"), []);
        return new ProvenanceRecord(
            "0.1.0",
            new HashedFile("tool", "/x/compress.dll", new string('a', 64)),
            new HashedFile("compression.json", "/x/compression.json", new string('c', 64)),
            [new TeacherIdentity("teacher", new HashedFile("teacher", "/x/teacher.onnx", new string('t', 64)), new string('b', 64), 1000, licence)],
            [new DataSetIdentity("train", [new HashedFile("train.path", "/x/train.csv", new string('d', 64))], 300, null)],
            [],
            [
                new LineageStep("distill", "distill", "1", new string('1', 64), new string('e', 64), FromCache: false),
                new LineageStep("export", "export", "2", new string('2', 64), new string('f', 64), FromCache: true),
            ],
            new ModelDescription("linear(3)", "multilayer perceptron", "supervised", "raw", "logits"),
            [new Metric(MetricNames.StudentAccuracy, 0.9686, "ratio"), new Metric(MetricNames.AccuracyRetention, double.NaN, "ratio")]);
    }
}

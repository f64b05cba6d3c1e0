using Compression.Abstractions.Data;
using Compression.Core.Diagnostics;
using Compression.Core.Provenance;
using Compression.Core.Results;
using Compression.Data.Loading;
using Compression.Onnx;
using Compression.Onnx.Tests;

namespace Compression.Core.Tests.Provenance;

/// <summary>The shipped model carries its lineage in metadata_props, and <c>compress inspect</c> reads it back.</summary>
public sealed class ModelProvenanceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Ship(ProvenanceRecord record)
    {
        string student = Path.Combine(_folder.Path, "student.onnx");
        OnnxModelFile.Write(TinyModels.GemmRelu(), student);
        var test = new LabelledData(new float[600], [2], new int[300]);
        string shipped = Path.Combine(_folder.Path, "out", "model.onnx");
        ShippedModel.Write(student, shipped, InputNormalization.None, test, CancellationToken.None, LineageMetadata.For(record));
        return shipped;
    }

    [Fact]
    public void The_shipped_model_carries_the_lineage_and_inspect_prints_it()
    {
        ProvenanceRecord record = ProvenanceRecords.Sample();
        string shipped = Ship(record);

        IReadOnlyDictionary<string, string> metadata = OnnxMetadata.Read(shipped);
        Assert.Equal(new string('c', 64), metadata[LineageMetadata.ConfigKey]);
        Assert.Equal(new string('b', 64), metadata[LineageMetadata.TeacherHashKey]);
        Assert.Equal("Apache-2.0", metadata[LineageMetadata.TeacherLicenseKey]);
        Assert.Equal("{\"student.accuracy\":0.9686}", metadata[LineageMetadata.MetricsKey]);
        Assert.Equal(record.SerialNumber, metadata[LineageMetadata.BomKey]);
        Assert.StartsWith("raw features", metadata[ShippedModel.InputMetadataKey], StringComparison.Ordinal);
        OnnxChecker.AssertValid(shipped);

        var lines = ModelProvenance.Describe(shipped);

        Assert.Equal(
            [
                shipped,
                "  provenance    format 1",
                "  made by       compress 0.1.0",
                $"  config        compression.json sha256 {new string('c', 64)}",
                $"  teacher       'teacher' sha256 {new string('b', 64)}, licence Apache-2.0",
                $"  data          train.path sha256 {new string('d', 64)}",
                "  lineage       teacher 'teacher' sha256:bbbbbbbbbbbb -> distill (settings sha256:111111111111) -> export (settings sha256:222222222222)",
                $"    distill     version 1, settings sha256 {new string('1', 64)}, cache key {new string('e', 64)}",
                $"    export      version 2, settings sha256 {new string('2', 64)}, cache key {new string('f', 64)}",
                "  metric        student.accuracy = 0.9686",
            ],
            lines.Take(10));
        Assert.Equal($"  bom serial    {record.SerialNumber}", lines[^1]);
    }

    [Fact]
    public void The_BOM_serial_is_a_UUID_fixed_by_the_inputs_so_the_shipped_file_is_reproducible()
    {
        ProvenanceRecord record = ProvenanceRecords.Sample();
        ProvenanceRecord other = record with { Config = record.Config with { Sha256 = new string('9', 64) } };

        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", record.SerialNumber);
        Assert.Equal(record.SerialNumber, ProvenanceRecords.Sample().SerialNumber);
        Assert.NotEqual(record.SerialNumber, other.SerialNumber);
        Assert.Equal(File.ReadAllBytes(Ship(record)), File.ReadAllBytes(Ship(ProvenanceRecords.Sample())));
    }

    [Fact]
    public void Inspecting_a_model_without_provenance_is_CMP6012_and_a_missing_file_CMP2002()
    {
        string plain = Path.Combine(_folder.Path, "plain.onnx");
        OnnxModelFile.Write(TinyModels.GemmRelu(), plain);

        var none = Assert.Throws<CompressionException>(() => ModelProvenance.Describe(plain));
        Assert.Equal(ErrorCodes.ModelWithoutProvenance, Assert.Single(none.Findings).Code);
        Assert.Contains("carries no provenance", none.Message);

        var missing = Assert.Throws<CompressionException>(() => ModelProvenance.Describe(Path.Combine(_folder.Path, "nope.onnx")));
        Assert.Equal(ErrorCodes.DataNotFound, Assert.Single(missing.Findings).Code);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("cut at a field boundary")]
    [InlineData("cut mid-field")]
    [InlineData("text")]
    public void Inspecting_a_file_that_is_not_an_onnx_model_is_CMP6013_not_no_provenance(string kind)
    {
        string shipped = Ship(ProvenanceRecords.Sample());
        byte[] model = File.ReadAllBytes(shipped);
        string path = Path.Combine(_folder.Path, "broken.onnx");
        File.WriteAllBytes(path, kind switch
        {
            "empty" => [],
            // ir_version and producer_name only: valid protobuf, as a file cut before its graph is.
            "cut at a field boundary" => Google.Protobuf.MessageExtensions.ToByteArray(new Compression.Onnx.Proto.ModelProto { IrVersion = 8, ProducerName = "compress" }),
            "cut mid-field" => model[..(model.Length / 2)],
            _ => "not a model\n"u8.ToArray(),
        });

        var error = Assert.Throws<CompressionException>(() => ModelProvenance.Describe(path));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.NotAnOnnxModel, finding.Code);
        Assert.Contains("is not an ONNX model", finding.Message);
    }
}

using Compression.Abstractions.Data;
using Compression.Core.Results;
using Compression.Data.Loading;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;

namespace Compression.Core.Tests.Results;

/// <summary>Issue 12: the model an app gets takes raw features; the pipeline's student keeps taking normalised ones.</summary>
public sealed class ShippedModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>300 samples of two raw features (pixel-like integers 0..255), normalised by <paramref name="normalization"/> as the loader does.</summary>
    private static (float[] Raw, LabelledData Test) Samples(InputNormalization normalization)
    {
        var random = new Random(12);
        float[] raw = [.. Enumerable.Range(0, 600).Select(_ => (float)random.Next(256))];
        float[] normalized = raw.ToArray();
        normalization.Apply(normalized);
        return (raw, new LabelledData(normalized, [2], new int[300]));
    }

    private string WriteStudent(ModelProto model)
    {
        string path = Path.Combine(_folder.Path, "student.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }

    private static float[] Run(string path, float[] input)
    {
        using var session = new OnnxInferenceSession(path);
        return session.Run(input, input.Length / 2);
    }

    [Fact]
    public void A_scaled_student_ships_with_a_Mul_in_front_and_gives_its_logits_on_raw_input()
    {
        InputNormalization scale = InputNormalization.Scaled((float)(1.0 / 255));
        (float[] raw, LabelledData test) = Samples(scale);
        string student = WriteStudent(TinyModels.GemmRelu());
        string shipped = Path.Combine(_folder.Path, "out", "model.onnx");

        ShippedModel.Write(student, shipped, scale, test, CancellationToken.None);

        ModelProto model = OnnxModelFile.Read(shipped);
        Assert.Equal(["Mul", "Gemm", "Relu"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("input", model.Graph.Input.Single().Name);
        Assert.Equal("raw features; the graph multiplies them by 0.003921569", model.MetadataProps.Single(p => p.Key == ShippedModel.InputMetadataKey).Value);
        Assert.All(Run(student, test.Features).Zip(Run(shipped, raw)), p => Assert.Equal(p.First, p.Second, 1e-5f));
        Assert.Equal(["Gemm", "Relu"], OnnxModelFile.Read(student).Graph.Node.Select(n => n.OpType));
        Assert.Equal(["model.onnx"], Directory.GetFiles(Path.GetDirectoryName(shipped)!).Select(Path.GetFileName));
        OnnxChecker.AssertValid(shipped);
    }

    [Fact]
    public void A_quantized_calibrated_student_ships_standardised_with_exactly_its_logits_on_raw_input()
    {
        InputNormalization standardize = InputNormalization.Standardized([127f, 60f], [73.6f, 41.3f]);
        (float[] raw, LabelledData test) = Samples(standardize);
        string student = WriteStudent(TinyModels.QuantizedCalibratedGemm());
        string shipped = Path.Combine(_folder.Path, "model.onnx");

        ShippedModel.Write(student, shipped, standardize, test, CancellationToken.None);

        ModelProto model = OnnxModelFile.Read(shipped);
        Assert.Equal(["Sub", "Div", "QuantizeLinear", "DequantizeLinear", "Gemm", "Div"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("input", model.Graph.Input.Single().Name);
        Assert.Equal(Run(student, test.Features), Run(shipped, raw));
        Assert.StartsWith("raw features; the graph subtracts each feature's train-split mean", model.MetadataProps.Single(p => p.Key == ShippedModel.InputMetadataKey).Value, StringComparison.Ordinal);
        OnnxChecker.AssertValid(shipped);
    }

    [Fact]
    public void Without_normalisation_the_student_ships_unchanged_with_one_fresh_input_note()
    {
        (_, LabelledData test) = Samples(InputNormalization.None);
        ModelProto stale = TinyModels.GemmRelu();
        stale.MetadataProps.Add(new StringStringEntryProto { Key = ShippedModel.InputMetadataKey, Value = "stale" });
        string student = WriteStudent(stale);
        string shipped = Path.Combine(_folder.Path, "model.onnx");

        ShippedModel.Write(student, shipped, InputNormalization.None, test, CancellationToken.None);

        ModelProto model = OnnxModelFile.Read(shipped);
        Assert.Equal(["Gemm", "Relu"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("raw features, as in the data files (no normalisation)", model.MetadataProps.Single(p => p.Key == ShippedModel.InputMetadataKey).Value);
    }

    [Fact]
    public void The_check_reports_a_bug_when_the_shipped_graph_does_not_normalise_raw_input()
    {
        InputNormalization scale = InputNormalization.Scaled((float)(1.0 / 255));
        (_, LabelledData test) = Samples(scale);
        string student = WriteStudent(TinyModels.GemmRelu());

        var error = Assert.Throws<InvalidOperationException>(() => ShippedModel.Verify(student, student, scale, test));

        Assert.Contains("the shipped model on raw input gives logit", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("this is a bug", error.Message, StringComparison.Ordinal);
    }
}

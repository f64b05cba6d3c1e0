using Compression.Models.Export;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Models.Tests.Layers;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Export;

/// <summary>
/// A transformer student exported with a dynamic sequence length gives TorchSharp's outputs through ONNX
/// Runtime at two lengths, with padding, for the final embedding and for the tapped hidden states and
/// attention; the ONNX checker accepts it and OnnxFlops counts what SpecCost counts.
/// </summary>
public sealed class SequenceExportTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sequence-{Guid.NewGuid():N}.onnx");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    public void The_exported_student_matches_TorchSharp_at_any_length(int length)
    {
        const int batch = 5;
        float[] samples = TokenSamples.Batch(batch, length, seed: length);

        var (expected, actual) = TorchSharpAndOnnxRuntime(TokenSamples.Student(), samples, batch, length);

        Assert.Equal(batch * 6, actual.Length);
        double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"length {length}: max |TorchSharp - ONNX Runtime| = {max:G3}");
        Assert.True(max <= 1e-4, $"length {length}: max |TorchSharp - ONNX Runtime| = {max}");
        Assert.Contains(samples, v => v == 0);
    }

    [Fact]
    public void A_static_student_without_the_embedding_norm_matches_TorchSharp_too()
    {
        ModelSpec spec = Specs.Parse("""
            {"input":[2,8],"layers":[
              {"type":"token-embedding","vocabulary":50,"hidden":16,"maxPositions":12,"dropout":0,"norm":false},
              {"type":"mean-pool"},
              {"type":"linear","out":6},
              {"type":"normalize"}]}
            """);
        const int batch = 5, length = 7;

        var (expected, actual) = TorchSharpAndOnnxRuntime(spec, TokenSamples.Batch(batch, length, seed: 3), batch, length);

        Assert.DoesNotContain(OnnxModelFile.Read(_path).Graph.Node, n => n.OpType == "LayerNormalization");
        double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(max <= 1e-5, $"max |TorchSharp - ONNX Runtime| = {max}");
    }

    /// <summary>The spec's model (seed 7, eval mode) on the samples through TorchSharp, then exported to this test's file and run by ONNX Runtime.</summary>
    private (float[] Expected, float[] Actual) TorchSharpAndOnnxRuntime(ModelSpec spec, float[] samples, int batch, int length)
    {
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        model.eval();
        OnnxExporter.Export(model, _path);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            expected = model.forward(tensor(samples, [batch, 2, length])).data<float>().ToArray();
        }
        using var session = new OnnxInferenceSession(_path);
        return (expected, session.Run(samples, batch));
    }

    [Fact]
    public void Tapped_hidden_states_and_attention_are_tensors_of_the_exported_graph_and_match()
    {
        ModelSpec spec = TokenSamples.Student();
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        model.eval();
        OnnxExporter.Export(model, _path);
        const int batch = 3, length = 6;
        float[] samples = TokenSamples.Batch(batch, length, seed: 2);
        string[] taps = ["enc1", "enc2.attention", "pooled"];

        var expected = new Dictionary<string, float[]>();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.Forward(tensor(samples, [batch, 2, length]), taps, out IReadOnlyDictionary<string, Tensor> features);
            foreach (string tap in taps)
            {
                expected[tap] = features[tap].data<float>().ToArray();
            }
        }

        // Expose the tapped tensors as outputs of an in-memory copy, as a tapped teacher would.
        ModelProto proto = OnnxModelFile.Read(_path);
        foreach (string tap in taps)
        {
            Assert.Contains(proto.Graph.Node, n => n.Output.Contains(tap));
            proto.Graph.Output.Add(new ValueInfoProto { Name = tap });
        }
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto));
        using var input = OrtValue.CreateTensorValueFromMemory(samples, [batch, 2, length]);
        using var outputs = session.Run(new RunOptions(), [OnnxExporter.InputName], [input], taps);
        for (int i = 0; i < taps.Length; i++)
        {
            float[] actual = outputs[i].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(expected[taps[i]].Length, actual.Length);
            double max = expected[taps[i]].Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"{taps[i]}: max |TorchSharp - ONNX Runtime| = {max:G3}");
            Assert.True(max <= 1e-4, $"{taps[i]}: max |TorchSharp - ONNX Runtime| = {max}");
        }
    }

    [Fact]
    public void The_length_is_symbolic_the_checker_accepts_the_model_and_flops_are_counted_at_the_spec_length()
    {
        ModelSpec spec = TokenSamples.Student();
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        OnnxExporter.Export(model, _path);
        ModelProto proto = OnnxModelFile.Read(_path);

        var dims = proto.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal(["batch", "", OnnxExporter.SequenceDimension], dims.Select(d => d.DimParam));
        Assert.Equal(2, dims[1].DimValue);
        Assert.Contains(proto.MetadataProps, p => p.Key == OnnxExporter.SequenceLengthKey && p.Value == "8");
        OnnxChecker.AssertValid(_path);
        Assert.Equal(SpecCost.Flops(spec), OnnxFlops.Count(proto));

        // Without the declared length the count is unknown, not a guess at length 1.
        proto.MetadataProps.Clear();
        Assert.Null(OnnxFlops.Count(proto));
    }

    [Fact]
    public void A_model_ending_in_per_token_states_declares_its_output_length_symbolic()
    {
        ModelSpec spec = Specs.Parse("""{"input":[2,4],"layers":[{"type":"token-embedding","vocabulary":50,"hidden":4,"maxPositions":8},{"type":"encoder","heads":1,"hidden":4,"intermediate":8}]}""");
        using SequentialModel model = ModelFactory.Create(spec, seed: 1);
        model.eval();
        OnnxExporter.Export(model, _path);

        var dims = OnnxModelFile.Read(_path).Graph.Output[0].Type.TensorType.Shape.Dim;
        Assert.Equal(["batch", OnnxExporter.SequenceDimension, ""], dims.Select(d => d.DimParam));
        using var session = new OnnxInferenceSession(_path);
        float[] samples = TokenSamples.Batch(2, 7, seed: 1);
        Assert.Equal(2 * 7 * 5, session.Run(samples, 2).Length);
        OnnxChecker.AssertValid(_path);
    }
}

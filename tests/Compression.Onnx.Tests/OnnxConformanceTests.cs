using Compression.Onnx.Proto;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Compression.Onnx.Tests;

/// <summary>
/// Our onnx.proto against the ONNX project's own test models (libonnx-testdata): every model parses,
/// every field in them is one we declare, and writing gives back an equal message.
/// </summary>
public class OnnxConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    [Fact]
    public void Every_conformance_model_reads_and_writes_back_to_an_equal_message()
    {
        if (OnnxTestData.Skipped)
        {
            output.WriteLine($"{OnnxTestData.SkipVariable}=1: not checked");
            return;
        }
        IReadOnlyList<string> models = OnnxTestData.Models();
        Assert.True(models.Count >= 1000, $"expected the ~1,072 models of libonnx-testdata under {OnnxTestData.Root}, found {models.Count}");
        var changed = new List<string>();
        var unstable = new List<string>();
        int byteIdentical = 0;
        foreach (string path in models)
        {
            byte[] original = File.ReadAllBytes(path);
            ModelProto model = OnnxModelFile.Read(path);
            byte[] written = model.ToByteArray();
            ModelProto reread = ModelProto.Parser.ParseFrom(written);
            if (!model.Equals(reread))
            {
                changed.Add(path);
            }
            // Our encoding is canonical: writing what we read gives the same bytes again.
            if (!written.AsSpan().SequenceEqual(reread.ToByteArray()))
            {
                unstable.Add(path);
            }
            if (written.AsSpan().SequenceEqual(original))
            {
                byteIdentical++;
            }
        }
        // Files written by onnx's proto2 build keep explicitly set defaults and unpacked repeated
        // scalars, which proto3 drops and packs: equal messages, different bytes. Reported, not failed.
        output.WriteLine($"{models.Count} models: all equal after a round trip; {byteIdentical} byte-identical to the original, {models.Count - byteIdentical} differ only in encoding");
        Assert.True(changed.Count == 0, $"{changed.Count} models changed in a round trip:\n{string.Join('\n', changed.Take(20))}");
        Assert.True(unstable.Count == 0, $"{unstable.Count} models re-encode differently the second time:\n{string.Join('\n', unstable.Take(20))}");
    }

    [Fact]
    public void Every_field_of_every_conformance_model_is_declared_in_our_proto()
    {
        if (OnnxTestData.Skipped)
        {
            output.WriteLine($"{OnnxTestData.SkipVariable}=1: not checked");
            return;
        }
        // JSON carries known fields only: a model that is unequal after a JSON round trip had
        // unknown fields, i.e. our proto misses (or misnumbers) something the spec uses.
        var undeclared = new List<string>();
        foreach (string path in OnnxTestData.Models())
        {
            ModelProto model = OnnxModelFile.Read(path);
            ModelProto viaJson = JsonParser.Default.Parse<ModelProto>(s_json.Format(model));
            if (!model.Equals(viaJson))
            {
                undeclared.Add(path);
            }
        }
        Assert.True(undeclared.Count == 0, $"{undeclared.Count} models use fields our onnx.proto does not declare:\n{string.Join('\n', undeclared.Take(20))}");
    }

    [Fact]
    public void Known_fields_are_understood_not_merely_preserved()
    {
        if (OnnxTestData.Skipped)
        {
            return;
        }
        string path = Path.Combine(OnnxTestData.Root, "node", "test_conv_with_strides_padding", "model.onnx");
        ModelProto model = OnnxModelFile.Read(path);
        NodeProto conv = Assert.Single(model.Graph.Node);
        Assert.Equal("Conv", conv.OpType);
        AttributeProto strides = Assert.Single(conv.Attribute, a => a.Name == "strides");
        Assert.Equal(AttributeProto.Types.AttributeType.Ints, strides.Type);
        Assert.Equal([2L, 2L], strides.Ints);
        AttributeProto pads = Assert.Single(conv.Attribute, a => a.Name == "pads");
        Assert.Equal([1L, 1L, 1L, 1L], pads.Ints);
        TypeProto.Types.Tensor x = model.Graph.Input[0].Type.TensorType;
        Assert.Equal((int)TensorProto.Types.DataType.Float, x.ElemType);
        Assert.Equal([1L, 1L, 7L, 5L], x.Shape.Dim.Select(d => d.DimValue));
        Assert.Contains(model.OpsetImport, o => o.Domain == "" && o.Version > 0);
    }

    [Fact]
    public void An_attribute_set_to_zero_is_written_back_as_set()
    {
        if (OnnxTestData.Skipped)
        {
            return;
        }
        // Flatten's axis defaults to 1: a written file that dropped "axis: 0" would be another graph
        // to every reader that asks whether the attribute is set (onnx's shape inference does).
        string path = Path.Combine(OnnxTestData.Root, "node", "test_flatten_axis0", "model.onnx");
        ModelProto reread = ModelProto.Parser.ParseFrom(OnnxModelFile.Read(path).ToByteArray());
        AttributeProto axis = Assert.Single(Assert.Single(reread.Graph.Node).Attribute);
        Assert.True(axis.HasI, "axis = 0 was dropped when the model was written");
        Assert.Equal(0, axis.I);
        NodeProto built = new NodeProto { OpType = "Gemm" }.Float("beta", 0f);
        Assert.True(NodeProto.Parser.ParseFrom(built.ToByteArray()).Attribute[0].HasF, "beta = 0 was dropped when the node was written");
    }
}

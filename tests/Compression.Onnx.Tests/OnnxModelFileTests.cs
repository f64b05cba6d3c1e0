using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx.Tests;

public class OnnxModelFileTests
{
    [Fact]
    public void Every_conformance_model_reads_and_writes_back_to_an_equal_message()
    {
        var models = OnnxTestData.Models();
        Assert.True(models.Count >= 1000, $"expected the ~1,072 models of libonnx-testdata, found {models.Count}");
        var failures = new List<string>();
        foreach (string path in models)
        {
            ModelProto original = OnnxModelFile.Read(path);
            ModelProto reread = ModelProto.Parser.ParseFrom(original.ToByteArray());
            if (!original.Equals(reread))
            {
                failures.Add(path);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} models changed in a round trip:\n{string.Join('\n', failures.Take(20))}");
    }

    [Fact]
    public void Known_fields_are_understood_not_merely_preserved()
    {
        // A Conv test model: its attributes and shapes must come through as typed fields.
        string path = Path.Combine(OnnxTestData.Root, "node", "test_conv_with_strides_padding", "model.onnx");
        ModelProto model = OnnxModelFile.Read(path);
        NodeProto conv = Assert.Single(model.Graph.Node);
        Assert.Equal("Conv", conv.OpType);
        Assert.Contains(conv.Attribute, a => a.Name == "strides" && a.Ints.SequenceEqual([2L, 2L]));
        Assert.Equal(4, model.Graph.Input[0].Type.TensorType.Shape.Dim.Count);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_a_format_error_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf message at all, just text");
        try
        {
            var error = Assert.Throws<OnnxFormatException>(() => OnnxModelFile.Read(path));
            Assert.Equal(path, error.FilePath);
            Assert.StartsWith(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Writing_leaves_no_temporary_file_behind()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"onnx-write-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "m.onnx");
            OnnxModelFile.Write(TinyModels.GemmRelu(), path);
            Assert.Equal(["m.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Equal(TinyModels.GemmRelu(), OnnxModelFile.Read(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

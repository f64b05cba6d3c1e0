using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx.Tests;

public class OnnxModelFileTests
{
    [Fact]
    public void A_written_model_reads_back_as_an_equal_message_and_the_same_bytes()
    {
        ModelProto model = TinyModels.GemmRelu();
        string path = TinyModels.WriteTemp(model);
        try
        {
            ModelProto read = OnnxModelFile.Read(path);
            Assert.Equal(model, read);
            Assert.Equal(model.ToByteArray(), File.ReadAllBytes(path));
            Assert.Equal(8, read.IrVersion);
        }
        finally
        {
            File.Delete(path);
        }
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
            Assert.IsType<InvalidProtocolBufferException>(error.InnerException);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Valid_protobuf_that_is_not_a_model_is_a_format_error()
    {
        // An OperatorSetIdProto parses as a ModelProto (fields 1 and 2 overlap) but has no graph.
        string path = Path.Combine(Path.GetTempPath(), $"opset-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, new OperatorSetIdProto { Domain = "x", Version = 17 }.ToByteArray());
        try
        {
            var error = Assert.Throws<OnnxFormatException>(() => OnnxModelFile.Read(path));
            Assert.Contains("no graph", error.Message);
            Assert.StartsWith(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_a_format_error_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "model.onnx");
        var error = Assert.Throws<OnnxFormatException>(() => OnnxModelFile.Read(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("cannot be read", error.Message);
    }

    [Fact]
    public void Writing_replaces_an_existing_file_and_leaves_no_temporary_file_behind()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"onnx-write-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "m.onnx");
            File.WriteAllText(path, "old content");
            OnnxModelFile.Write(TinyModels.GemmRelu(), path);
            Assert.Equal(["m.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Equal(TinyModels.GemmRelu(), OnnxModelFile.Read(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Writing_creates_the_folder()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"onnx-write-{Guid.NewGuid():N}");
        try
        {
            string path = Path.Combine(folder, "sub", "m.onnx");
            OnnxModelFile.Write(TinyModels.GemmRelu(), path);
            Assert.Equal(TinyModels.GemmRelu(), OnnxModelFile.Read(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using Compression.Core.Teacher;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Core.Tests.Teacher;

/// <summary>Issue 12: a teacher's weights stored as ONNX external data are part of its identity.</summary>
public class TeacherHashTests
{
    /// <summary>y = x W^T with W = [[1, 2], [3, 4]] stored in weights.bin beside the model.</summary>
    private static string ModelWithExternalWeights(TempFolder folder, float[] weights)
    {
        var builder = new OnnxGraphBuilder("external");
        builder.AddInput("input", [null, 2]);
        string w = builder.AddInitializer("w", [2, 2], weights);
        builder.AddNode("Gemm", ["input", w], ["logits"]).Int("transB", 1);
        builder.AddOutput("logits", [null, 2]);
        ModelProto model = builder.Build("tests");
        TensorProto tensor = model.Graph.Initializer.Single();
        byte[] raw = weights.SelectMany(BitConverter.GetBytes).ToArray();
        File.WriteAllBytes(Path.Combine(folder.Path, "weights.bin"), raw);
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.Empty;
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = raw.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        string path = Path.Combine(folder.Path, "teacher.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }

    [Fact]
    public void Changing_an_external_data_file_changes_the_teacher_hash_and_the_build_inputs_list_it()
    {
        using var folder = new TempFolder();
        string path = ModelWithExternalWeights(folder, [1f, 2f, 3f, 4f]);
        using (var session = new OnnxInferenceSession(path))
        {
            Assert.Equal([5f, 11f], session.Run([1f, 2f], 1));
        }
        string before = TeacherHash.Of(path);

        File.WriteAllBytes(Path.Combine(folder.Path, "weights.bin"), new[] { 1f, 2f, 3f, 5f }.SelectMany(BitConverter.GetBytes).ToArray());

        Assert.NotEqual(before, TeacherHash.Of(path));
        Assert.Equal([Path.Combine(folder.Path, "weights.bin")], TeacherHash.ExternalFiles(path));
    }
}

using Compression.Abstractions.Data;
using Compression.Core.Cache;
using Compression.Core.Teacher;
using Compression.Models.Evaluation.Embeddings;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Tests.Teacher;

/// <summary>A sentence-encoder teacher's embeddings are computed once per split and served from the cache by content hash.</summary>
public sealed class SentenceEncoderTeacherCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Embeddings_are_mean_pooled_and_normalised_then_served_from_the_cache_without_the_model()
    {
        string model = WriteEncoder(Path.Combine(_folder.Path, "encoder.onnx"));
        var cache = new ArtifactCache(Path.Combine(_folder.Path, "cache"));
        // Two texts of length 3: ids [1, 2, pad] and [3, pad, pad]; rows: ids then mask.
        var test = new LabelledData([1, 2, 0, 1, 1, 0, /* second */ 3, 0, 0, 1, 0, 0], [2, 3], [LabelledData.NoLabel, LabelledData.NoLabel]);
        var data = new DataSplits(test, test, test, 0, "data-hash");
        var files = new EncoderFiles(model, model, "m", "v");

        float[] first = await new CachedTeacher("teacher", model, "teacher-hash", 0, data, cache) { SentenceEncoder = files }.GetLogitsAsync(DataSplit.Test, CancellationToken.None);
        File.WriteAllText(model, "no longer a model");
        float[] second = await new CachedTeacher("teacher", model, "teacher-hash", 0, data, cache) { SentenceEncoder = files }.GetLogitsAsync(DataSplit.Test, CancellationToken.None);
        var other = new CachedTeacher("teacher", model, "another-hash", 0, data, cache) { SentenceEncoder = files };

        // Row 1 of the table is (1, 0), row 2 (0, 1): their mean normalised is (0.7071, 0.7071); row 3 is (3, 4) -> (0.6, 0.8).
        Assert.Equal([0.70710677f, 0.70710677f, 0.6f, 0.8f], first, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(first, second);
        await Assert.ThrowsAsync<OnnxFormatException>(() => other.GetLogitsAsync(DataSplit.Test, CancellationToken.None));
    }

    /// <summary>A Gather from a 4 x 2 table: input_ids and attention_mask in, last_hidden_state [batch, sequence, 2] out.</summary>
    private static string WriteEncoder(string path)
    {
        var builder = new OnnxGraphBuilder("tiny-encoder");
        string table = builder.AddInitializer("table", [4, 2], [9, 9, 1, 0, 0, 1, 3, 4]);
        builder.AddNode("Gather", [table, "input_ids"], ["last_hidden_state"]);
        builder.AddNode("Cast", ["attention_mask"], ["mask_float"]).Int("to", (long)TensorProto.Types.DataType.Float);
        builder.AddInput("input_ids", [null, null]);
        builder.AddInput("attention_mask", [null, null]);
        builder.AddOutput("mask_float", [null, null]);
        builder.AddOutput("last_hidden_state", [null, null, 2]);
        ModelProto proto = builder.Build("compression-tests");
        foreach (ValueInfoProto input in proto.Graph.Input)
        {
            input.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        }
        OnnxModelFile.Write(proto, path);
        return path;
    }
}

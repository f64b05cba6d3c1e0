using Compression.Models.Initialization;
using Compression.Onnx;

namespace Compression.Models.Tests.Initialization;

public sealed class BertOnnxWeightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bert-weights-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_graph_without_BERTs_names_is_refused_naming_the_word_table_it_looked_for()
    {
        var builder = new OnnxGraphBuilder("not-bert");
        string table = builder.AddInitializer("table", [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
        builder.AddNode("MatMul", ["x", table], ["y"]);
        builder.AddInput("x", [null, 4]);
        builder.AddOutput("y", [null, 2]);
        string path = Path.Combine(_folder, "model.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);

        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Read(path));

        Assert.Contains("no initializer named 'embeddings.word_embeddings.weight'", error.Message);
    }

    [Fact]
    public void Embeddings_without_encoder_layers_are_refused_naming_the_first_layers_query_bias()
    {
        var builder = new OnnxGraphBuilder("embeddings-only");
        string words = builder.AddInitializer("bert.embeddings.word_embeddings.weight", [5, 2], new float[10]);
        builder.AddInitializer("bert.embeddings.position_embeddings.weight", [3, 2], new float[6]);
        builder.AddInitializer("bert.embeddings.LayerNorm.weight", [2], new float[2]);
        builder.AddInitializer("bert.embeddings.LayerNorm.bias", [2], new float[2]);
        builder.AddNode("Gather", [words, "ids"], ["y"]);
        builder.AddInput("ids", [null, null]);
        builder.AddOutput("y", [null, null, 2]);
        string path = Path.Combine(_folder, "model.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);

        var error = Assert.Throws<InvalidDataException>(() => BertOnnxWeights.Read(path));

        Assert.Contains("no initializer named 'bert.encoder.layer.0.attention.self.query.bias'", error.Message);
    }
}

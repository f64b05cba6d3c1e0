using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.Tests.Evaluation.Embeddings;

/// <summary>
/// BERT-shaped ONNX graphs small enough to pool by hand: the "hidden state" of a token is its row of an
/// embedding table (a Gather), plus, when the graph takes token types, the row of a type table.
/// </summary>
internal static class TinyEncoders
{
    // Token 4 is the padding marker: never attended, so it must never reach an embedding.
    public static readonly float[] Table =
    [
        0, 0, 0,
        1, 0, 0,
        0, 2, 0,
        3, 0, 4,
        9, 9, 9,
    ];

    public static readonly float[] TypeTable = [0, 0, 1, 5, 5, 5];

    /// <summary>input_ids and attention_mask (and token_type_ids) in, last_hidden_state [batch, sequence, 3] out.</summary>
    public static string Write(bool tokenTypes, string hiddenName = "last_hidden_state")
    {
        var builder = new OnnxGraphBuilder("tiny-encoder");
        string table = builder.AddInitializer("table", [5, 3], Table);
        builder.AddNode("Gather", [table, "input_ids"], [tokenTypes ? "tokens" : hiddenName]);
        if (tokenTypes)
        {
            string types = builder.AddInitializer("type_table", [2, 3], TypeTable);
            builder.AddNode("Gather", [types, "token_type_ids"], ["types"]);
            builder.AddNode("Add", ["tokens", "types"], [hiddenName]);
        }
        builder.AddNode("Cast", ["attention_mask"], ["mask_float"]).Int("to", (long)TensorProto.Types.DataType.Float);
        string[] inputs = tokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        // The builder declares inputs as floats; these are declared below as int64 [batch, sequence].
        foreach (string input in inputs)
        {
            builder.AddInput(input, [null, null]);
        }
        builder.AddOutput("mask_float", [null, null]);
        builder.AddOutput(hiddenName, [null, null, 3]);
        ModelProto model = builder.Build("compression-tests");
        foreach (ValueInfoProto input in model.Graph.Input)
        {
            input.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
            input.Type.TensorType.Shape.Dim[1].DimParam = "sequence";
        }
        foreach (ValueInfoProto output in model.Graph.Output)
        {
            output.Type.TensorType.Shape.Dim[1].DimParam = "sequence";
        }
        return WriteTemp(model);
    }

    /// <summary>Not an encoder: one float input pixels [batch, 4], a Relu to logits [batch, 4].</summary>
    public static string WriteClassifier()
    {
        var builder = new OnnxGraphBuilder("classifier");
        builder.AddInput("pixels", [null, 4]);
        builder.AddNode("Relu", ["pixels"], ["logits"]);
        builder.AddOutput("logits", [null, 4]);
        return WriteTemp(builder.Build("compression-tests"));
    }

    public static string WriteTemp(ModelProto model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"compression-encoder-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }
}

using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "token-embedding", "vocabulary": 30522, "hidden": 384, "maxPositions": 512, "dropout": 0.1}</c>:
/// BERT's embeddings for a tokenised text sample [2, length] (row 0 the WordPiece ids as floats, row 1 the
/// attention mask): each id's learned vector plus its position's, LayerNorm (eps 1e-12; <c>"norm": false</c>
/// leaves it out), dropout; the result is a token sequence [length, hidden + 1] carrying the mask as its last channel
/// (<see cref="TokenSequence"/>). A static (bag-of-tokens) student wants no LayerNorm: it would give every token
/// vector the same length, so a mean pool could not weigh tokens (Model2Vec's vectors carry their weight in
/// their length). There is no token-type table: for single sentences BERT adds the same
/// type-0 row to every position, which loading a pretrained model folds into the position table.
/// The sequence length is dynamic in the exported model (Gather, Shape, Slice, Add, LayerNormalization, Concat).
/// </summary>
public sealed class TokenEmbeddingLayer : LayerType
{
    /// <summary>BERT's LayerNorm epsilon, so a pretrained model's weights mean the same here.</summary>
    internal const double NormEpsilon = 1e-12;

    /// <summary>A token-embedding layer's settings.</summary>
    /// <param name="Vocabulary">Rows of the token table: every id must be below it.</param>
    /// <param name="Hidden">Width of each token's vector.</param>
    /// <param name="MaxPositions">Rows of the position table: the longest sequence the layer takes.</param>
    /// <param name="Dropout">Dropout after the LayerNorm while training, in [0, 1).</param>
    /// <param name="Norm">Whether the sum of word and position vectors goes through a LayerNorm (BERT's; the default).</param>
    public sealed record Settings(int Vocabulary, int Hidden, int MaxPositions, double Dropout, bool Norm = true) : LayerSettings;

    public override string Name => "token-embedding";

    public override IReadOnlyList<string> Fields => ["vocabulary", "hidden", "maxPositions", "dropout", "norm"];

    public override LayerSettings DefaultSettings => new Settings(0, 0, 0, 0.1);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        Settings s = SettingsOf<Settings>(settings);
        return field switch
        {
            "vocabulary" => s with { Vocabulary = LayerFields.PositiveInt(value, path) },
            "hidden" => s with { Hidden = LayerFields.PositiveInt(value, path) },
            "maxPositions" => s with { MaxPositions = LayerFields.PositiveInt(value, path) },
            "norm" => s with { Norm = LayerFields.Boolean(value, path) },
            _ => s with { Dropout = LayerFields.Fraction(value, path) },
        };
    }

    public override LayerSettings Complete(LayerSettings settings, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        string? missing = s.Vocabulary == 0 ? "\"vocabulary\": the number of token ids (the vocabulary file's lines)"
            : s.Hidden == 0 ? "\"hidden\": the width of each token's vector"
            : s.MaxPositions == 0 ? "\"maxPositions\": the longest sequence it takes (at least the data's maxLength)"
            : null;
        return missing is null ? s : throw new ModelSpecException(path, $"'{path}' (token-embedding) needs {missing}");
    }

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Settings s = SettingsOf<Settings>(settings);
        json.Field("vocabulary", s.Vocabulary);
        json.Field("hidden", s.Hidden);
        json.Field("maxPositions", s.MaxPositions);
        json.Field("dropout", s.Dropout);
        if (!s.Norm)
        {
            // Written only when off, so the specs (and cache keys) of BERT-style embeddings stay as they were.
            json.Field("norm", false);
        }
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        if (input.Length != 2 || input[0] != 2)
        {
            throw new ModelSpecException(path,
                $"'{path}' (token-embedding) needs a tokenised text sample [2, length] (row 0 token ids, row 1 attention mask) but gets {Show(input)}: give the spec \"input\": [2, maxLength]");
        }
        if (input[1] > s.MaxPositions)
        {
            throw new ModelSpecException($"{path}.maxPositions",
                $"'{path}.maxPositions' {s.MaxPositions} is shorter than the input's {input[1]} tokens: raise it to at least {input[1]}");
        }
        return [input[1], s.Hidden + 1];
    }

    public override int? SequenceAxis(LayerSettings settings, int[] input) => 1;

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        return new TokenEmbeddingModule(s.Vocabulary, s.Hidden, s.MaxPositions, s.Dropout, s.Norm);
    }

    /// <summary>
    /// ids = Cast(Gather(x, 0, axis 1)), mask = Gather(x, 1, axis 1); Gather(words, ids) + Slice(positions, 0, length);
    /// LayerNormalization (unless <c>"norm": false</c>); Concat with the mask as the last channel.
    /// </summary>
    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var module = (TokenEmbeddingModule)export.Module;
        OnnxGraphBuilder graph = export.Builder;
        string idRow = export.Intermediate("id_row"), ids = export.Intermediate("ids"), mask = export.Intermediate("mask_row");
        string maskChannel = export.Intermediate("mask"), words = export.Intermediate("words"), length = export.Intermediate("length");
        string positions = export.Intermediate("positions"), summed = export.Intermediate("summed"), normed = export.Intermediate("normed");
        graph.AddNode("Gather", [export.Input, export.Builder.AddInt64Initializer($"{export.Prefix}.id_row", [], [0])], [idRow]).Int("axis", 1);
        graph.AddNode("Cast", [idRow], [ids]).Int("to", (long)TensorProto.Types.DataType.Int64);
        graph.AddNode("Gather", [export.Input, export.Builder.AddInt64Initializer($"{export.Prefix}.mask_row", [], [1])], [mask]).Int("axis", 1);
        graph.AddNode("Unsqueeze", [mask, export.AddInt64s("channel_axis", 2)], [maskChannel]);
        graph.AddNode("Gather", [export.AddTensor("word_embeddings", module.WordTable), ids], [words]).Int("axis", 0);
        graph.AddNode("Shape", [export.Input], [length]).Int("start", 2).Int("end", 3);
        graph.AddNode("Slice", [export.AddTensor("position_embeddings", module.PositionTable), export.AddInt64s("position_start", 0), length, export.AddInt64s("position_axis", 0)], [positions]);
        graph.AddNode("Add", [words, positions], [summed]);
        if (module.Norm is not null)
        {
            graph.AddNode("LayerNormalization", [summed, export.AddTensor("norm.weight", module.Norm.weight!), export.AddTensor("norm.bias", module.Norm.bias!)], [normed])
                .Int("axis", -1).Float("epsilon", (float)NormEpsilon);
        }
        return graph.AddNode("Concat", [module.Norm is null ? summed : normed, maskChannel], [export.Output]).Int("axis", 2);
    }

    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        return ((double)s.Vocabulary * s.Hidden) + ((double)s.MaxPositions * s.Hidden) + (s.Norm ? 2.0 * s.Hidden : 0);
    }

    /// <summary>Table look-ups and a LayerNorm: no multiply-adds.</summary>
    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output) => 0;
}

using System.Globalization;
using Compression.Abstractions.Distillation;
using Compression.Models.Layers;
using Compression.Models.Spec;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Initialization;

/// <summary>
/// DistilBERT's initialisation (Sanh et al. 2019): a student whose encoder layers start as chosen layers of a
/// BERT-family teacher (every other one, say), and whose token embedding starts as the teacher's. The student's
/// k-th <c>encoder</c> layer (in spec order) receives teacher layer <c>teacherLayers[k]</c>; its
/// <c>token-embedding</c> receives the word table, the first <c>maxPositions</c> rows of the position table with
/// token-type row 0 added (the teacher is always fed token type 0, so the sum is what it sees), and the LayerNorm.
/// Shapes must match exactly: nothing is cut or padded, so the student computes what the teacher's layers compute.
/// </summary>
public static class BertWeightTransfer
{
    /// <summary>Copies the teacher's weights into <paramref name="student"/> and describes what was copied.</summary>
    /// <param name="student">A model built from a spec with a <c>token-embedding</c> and <c>encoder</c> layers.</param>
    /// <param name="teacher">The teacher's weights.</param>
    /// <param name="teacherLayers">Teacher layer index for each of the student's encoder layers, in order.</param>
    /// <param name="embeddings">Also copy the token embedding (word and position tables, LayerNorm).</param>
    /// <param name="studentPath">Where the student's spec is in the config (<c>student</c>), for error paths such as <c>student.layers[2].intermediate</c>.</param>
    /// <param name="layersPath">Where <paramref name="teacherLayers"/> is in the config, for error paths such as <c>init.fromTeacher.layers[1]</c>.</param>
    /// <exception cref="ModelSpecException">The student cannot take the teacher's weights; <see cref="ModelSpecException.JsonPath"/> names the field.</exception>
    public static string Copy(SequentialModel student, BertOnnxWeights teacher, IReadOnlyList<int> teacherLayers, bool embeddings, string studentPath, string layersPath)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(teacherLayers);
        List<int> encoders = [.. Enumerable.Range(0, student.Layers.Count).Where(i => student.Layers[i] is EncoderModule)];
        if (encoders.Count != teacherLayers.Count)
        {
            throw new ModelSpecException(layersPath, string.Create(CultureInfo.InvariantCulture,
                $"'{layersPath}' lists {teacherLayers.Count} teacher layers but '{studentPath}' has {encoders.Count} encoder layers: give one teacher layer (0 to {teacher.LayerCount - 1}) per student encoder, in order"));
        }
        for (int k = 0; k < teacherLayers.Count; k++)
        {
            if (teacherLayers[k] < 0 || teacherLayers[k] >= teacher.LayerCount)
            {
                throw new ModelSpecException($"{layersPath}[{k}]", string.Create(CultureInfo.InvariantCulture,
                    $"'{layersPath}[{k}]' is {teacherLayers[k]} but the teacher has {teacher.LayerCount} encoder layers: expected 0 to {teacher.LayerCount - 1}"));
            }
        }
        int? embedding = embeddings ? TokenEmbedding(student, studentPath) : null;
        if (embedding is int e)
        {
            CheckEmbedding(student, e, teacher, studentPath);
        }
        foreach (int i in encoders)
        {
            CheckEncoder(student, i, teacher, studentPath);
        }
        using (no_grad())
        {
            if (embedding is int index)
            {
                CopyEmbedding((TokenEmbeddingModule)student.Layers[index], teacher);
            }
            for (int k = 0; k < encoders.Count; k++)
            {
                CopyEncoder((EncoderModule)student.Layers[encoders[k]], teacher.Layers[teacherLayers[k]]);
            }
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{(embeddings ? "token embedding and " : "")}teacher layers [{string.Join(", ", teacherLayers)}] of {teacher.LayerCount} copied into the student's {encoders.Count} encoder layers");
    }

    private static int TokenEmbedding(SequentialModel student, string studentPath)
    {
        int[] found = [.. Enumerable.Range(0, student.Layers.Count).Where(i => student.Layers[i] is TokenEmbeddingModule)];
        return found.Length == 1 ? found[0]
            : throw new ModelSpecException($"{studentPath}.layers", $"'{studentPath}' has {found.Length} token-embedding layers; copying the teacher's embeddings needs exactly one (or set \"embeddings\": false)");
    }

    private static void CheckEmbedding(SequentialModel student, int index, BertOnnxWeights teacher, string studentPath)
    {
        var settings = (TokenEmbeddingLayer.Settings)student.Spec.Layers[index].Settings;
        string path = $"{studentPath}.layers[{index}]";
        Require(settings.Vocabulary == teacher.Vocabulary, $"{path}.vocabulary", settings.Vocabulary, teacher.Vocabulary, "the teacher's vocabulary (its word table's rows)");
        Require(settings.Hidden == teacher.Hidden, $"{path}.hidden", settings.Hidden, teacher.Hidden, "the teacher's hidden width");
        if (!settings.Norm)
        {
            throw new ModelSpecException($"{path}.norm", $"'{path}.norm' is false but the teacher's embeddings end in a LayerNorm: remove \"norm\": false to copy them");
        }
        if (settings.MaxPositions > teacher.MaxPositions)
        {
            throw new ModelSpecException($"{path}.maxPositions", string.Create(CultureInfo.InvariantCulture,
                $"'{path}.maxPositions' is {settings.MaxPositions} but the teacher's position table has {teacher.MaxPositions} rows: expected at most {teacher.MaxPositions}"));
        }
    }

    private static void CheckEncoder(SequentialModel student, int index, BertOnnxWeights teacher, string studentPath)
    {
        var settings = (EncoderLayer.Settings)student.Spec.Layers[index].Settings;
        string path = $"{studentPath}.layers[{index}]";
        Require(settings.Hidden == teacher.Hidden, $"{path}.hidden", settings.Hidden, teacher.Hidden, "the teacher's hidden width");
        Require(settings.Intermediate == teacher.Intermediate, $"{path}.intermediate", settings.Intermediate, teacher.Intermediate, "the teacher's feed-forward width");
        if (teacher.Heads is int heads)
        {
            Require(settings.Heads == heads, $"{path}.heads", settings.Heads, heads, "the teacher's attention heads (the same weights split differently compute something else)");
        }
    }

    private static void Require(bool holds, string path, int found, int expected, string what)
    {
        if (!holds)
        {
            throw new ModelSpecException(path, string.Create(CultureInfo.InvariantCulture,
                $"'{path}' is {found} but the teacher's weights need {expected}: {what}"));
        }
    }

    private static void CopyEmbedding(TokenEmbeddingModule module, BertOnnxWeights teacher)
    {
        module.WordTable.copy_(teacher.Words);
        long rows = module.PositionTable.shape[0];
        using Tensor positions = teacher.Positions.narrow(0, 0, rows);
        if (teacher.TokenTypes is Tensor types)
        {
            using Tensor typeZero = types[0];
            using Tensor folded = positions.Plus(typeZero);
            module.PositionTable.copy_(folded);
        }
        else
        {
            module.PositionTable.copy_(positions);
        }
        CopyNorm(module.Norm!, teacher.NormWeight, teacher.NormBias);
    }

    private static void CopyEncoder(EncoderModule module, BertLayerWeights layer)
    {
        CopyLinear(module.Query, layer.Query);
        CopyLinear(module.Key, layer.Key);
        CopyLinear(module.Value, layer.Value);
        CopyLinear(module.Output, layer.AttentionOutput);
        CopyNorm(module.AttentionNorm, layer.AttentionNormWeight, layer.AttentionNormBias);
        CopyLinear(module.Intermediate, layer.Intermediate);
        CopyLinear(module.IntermediateOut, layer.IntermediateOut);
        CopyNorm(module.OutputNorm, layer.OutputNormWeight, layer.OutputNormBias);
    }

    private static void CopyLinear(Linear linear, BertProjection projection)
    {
        linear.weight!.copy_(projection.Weight);
        linear.bias!.copy_(projection.Bias);
    }

    private static void CopyNorm(LayerNorm norm, Tensor weight, Tensor bias)
    {
        norm.weight!.copy_(weight);
        norm.bias!.copy_(bias);
    }
}

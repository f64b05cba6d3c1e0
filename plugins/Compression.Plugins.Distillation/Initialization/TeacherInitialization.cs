using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Import;
using Compression.Models.Initialization;
using Compression.Models.Layers;
using Compression.Models.Spec;

namespace Compression.Plugins.Distillation.Initialization;

/// <summary>
/// <c>init.fromTeacher</c>: checks the setting against the student spec before anything runs, and copies the
/// teacher's weights into the freshly built student when the stage runs (<see cref="BertWeightTransfer"/>).
/// </summary>
internal static class TeacherInitialization
{
    public const string LayersPath = "init.fromTeacher.layers";

    /// <summary>What can be checked without the teacher: the method, the list, and one teacher layer per student encoder.</summary>
    public static IEnumerable<SettingsError> Validate(DistillSettings settings, ModelSpec? student)
    {
        if (settings.Init.FromTeacher is not TeacherInitSettings init)
        {
            yield break;
        }
        if (!EmbeddingDistillation.Applies(settings))
        {
            yield return new SettingsError("init.fromTeacher", $"is supported with \"method\": \"{EmbeddingDistillation.Method}\" or \"{EmbeddingDistillation.TinyBertMethod}\" (a BERT-family sentence encoder teacher), not \"{settings.Method}\"");
        }
        if (init.Layers.Count == 0)
        {
            yield return new SettingsError(LayersPath, "is empty: list the teacher layer (0-based) each student encoder layer starts as, e.g. [0, 2, 4]");
            yield break;
        }
        for (int k = 0; k < init.Layers.Count; k++)
        {
            if (init.Layers[k] < 0)
            {
                yield return new SettingsError($"{LayersPath}[{k}]", $"is {init.Layers[k]}: expected a teacher layer index, 0 or more");
            }
        }
        int encoders = student?.Layers.Count(l => l.Type is EncoderLayer) ?? init.Layers.Count;
        if (encoders != init.Layers.Count)
        {
            yield return new SettingsError(LayersPath, $"lists {init.Layers.Count} teacher layers but the student has {encoders} encoder layers: expected one teacher layer per student encoder, in order");
        }
    }

    /// <summary>Copies the teacher's weights into <paramref name="student"/> if <c>init.fromTeacher</c> is set; returns what was done, or null.</summary>
    /// <exception cref="StageException">The teacher is not a BERT-family ONNX encoder, or the student cannot take its weights (the field is named).</exception>
    public static string? Apply(SequentialModel student, ITeacher teacher, DistillSettings settings)
    {
        if (settings.Init.FromTeacher is not TeacherInitSettings init)
        {
            return null;
        }
        try
        {
            using BertOnnxWeights weights = BertOnnxWeights.Read(teacher.OnnxPath);
            return BertWeightTransfer.Copy(student, weights, init.Layers, init.Embeddings, "student", LayersPath);
        }
        catch (ModelSpecException ex)
        {
            throw new StageException($"the student cannot start from the teacher's weights: {ex.Message}", ex.JsonPath, ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or OnnxImportException)
        {
            throw new StageException($"\"init.fromTeacher\" needs a BERT-family ONNX teacher: {ex.Message}", "init.fromTeacher", ex);
        }
    }
}

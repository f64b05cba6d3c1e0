using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation.Embeddings;
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

    /// <summary>The setting of the Model2Vec-style token table.</summary>
    public const string TokensPath = "init.fromTeacherTokens";

    /// <summary>What can be checked without the teacher: the method, the list, one teacher layer per student encoder, and the token table's layer.</summary>
    public static IEnumerable<SettingsError> Validate(DistillSettings settings, ModelSpec? student) =>
        [.. ValidateTokens(settings, student), .. ValidateLayers(settings, student)];

    private static IEnumerable<SettingsError> ValidateTokens(DistillSettings settings, ModelSpec? student)
    {
        if (!settings.Init.FromTeacherTokens)
        {
            yield break;
        }
        if (!EmbeddingDistillation.Applies(settings))
        {
            yield return new SettingsError(TokensPath, $"is supported with \"method\": \"{EmbeddingDistillation.Method}\" or \"{EmbeddingDistillation.TinyBertMethod}\" (a BERT-family sentence encoder teacher), not \"{settings.Method}\"");
        }
        if (settings.Init.FromTeacher is { Embeddings: true })
        {
            yield return new SettingsError(TokensPath, "and init.fromTeacher.embeddings both set the token table: set \"embeddings\": false in init.fromTeacher, or drop one");
        }
        if (TableLayerError(student) is SettingsError tableError)
        {
            yield return tableError;
        }
    }

    /// <summary>The student spec's refusal of a token table (no or several token-embedding layers, or one with a LayerNorm), at its field; null when it takes one.</summary>
    private static SettingsError? TableLayerError(ModelSpec? student)
    {
        try
        {
            if (student is not null)
            {
                TeacherTokenTable.TableLayer(student, "student");
            }
            return null;
        }
        catch (ModelSpecException ex)
        {
            return new SettingsError(ex.JsonPath, ex.Message);
        }
    }

    private static IEnumerable<SettingsError> ValidateLayers(DistillSettings settings, ModelSpec? student)
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

    /// <summary>
    /// Copies the teacher's weights into <paramref name="student"/> as <c>init.fromTeacher</c> and
    /// <c>init.fromTeacherTokens</c> say; returns what was done, or null when neither is set.
    /// </summary>
    /// <param name="student">The freshly built student.</param>
    /// <param name="teacher">The BERT-family ONNX teacher.</param>
    /// <param name="settings">The stage's settings.</param>
    /// <param name="texts">The training texts: their first row's first and last attended ids are the tokenizer's [CLS] and [SEP].</param>
    /// <param name="progress">Progress lines (the token table runs the teacher over the whole vocabulary).</param>
    /// <param name="cancellationToken">Checked between teacher runs.</param>
    /// <exception cref="StageException">The teacher is not a BERT-family ONNX encoder, or the student cannot take its weights (the field is named).</exception>
    public static string? Apply(SequentialModel student, ITeacher teacher, DistillSettings settings, LabelledData texts, IProgress<StageProgress> progress, CancellationToken cancellationToken)
    {
        if (settings.Init.FromTeacher is null && !settings.Init.FromTeacherTokens)
        {
            return null;
        }
        try
        {
            using BertOnnxWeights weights = BertOnnxWeights.Read(teacher.OnnxPath);
            List<string> done = [];
            if (settings.Init.FromTeacher is TeacherInitSettings init)
            {
                done.Add(BertWeightTransfer.Copy(student, weights, init.Layers, init.Embeddings, "student", LayersPath));
            }
            if (settings.Init.FromTeacherTokens)
            {
                done.Add(TokenTable(student, teacher, weights.Vocabulary, texts, progress, cancellationToken));
            }
            return string.Join("; ", done);
        }
        catch (ModelSpecException ex)
        {
            throw new StageException($"the student cannot start from the teacher's weights: {ex.Message}", ex.JsonPath, ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or OnnxImportException)
        {
            string field = settings.Init.FromTeacher is null ? TokensPath : "init.fromTeacher";
            throw new StageException($"\"{field}\" needs a BERT-family ONNX teacher: {ex.Message}", field, ex);
        }
    }

    /// <summary>The Model2Vec-style table: the teacher over every vocabulary token, PCA, copied (<see cref="TeacherTokenTable"/>).</summary>
    private static string TokenTable(SequentialModel student, ITeacher teacher, int teacherVocabulary, LabelledData texts, IProgress<StageProgress> progress, CancellationToken cancellationToken)
    {
        using var encoder = new OnnxSentenceEncoder(teacher.OnnxPath, 0);
        TeacherTokenTable.CheckAgainstTeacher(student.Spec, teacherVocabulary, encoder.HiddenSize, "student");
        var (cls, sep) = FramingTokens(texts);
        float[] table = TeacherTokenTable.EmbedTokens(encoder, teacherVocabulary, cls, sep, new TokenLines(progress, teacherVocabulary), cancellationToken);
        return TeacherTokenTable.Copy(student, table, encoder.HiddenSize, "student");
    }

    /// <summary>The ids the tokenizer frames every text with ([CLS] first, [SEP] last: the text format's contract), read from the first text.</summary>
    private static (long Cls, long Sep) FramingTokens(LabelledData texts)
    {
        if (texts.Count == 0 || texts.SampleShape is not [2, int length])
        {
            throw new StageException($"\"{TokensPath}\" needs tokenised training texts ([2, length] samples)", TokensPath);
        }
        ReadOnlySpan<float> row = texts.Rows(0, 1);
        int attended = 0;
        while (attended < length && row[length + attended] > 0)
        {
            attended++;
        }
        return attended >= 2
            ? ((long)row[0], (long)row[attended - 1])
            : throw new StageException($"\"{TokensPath}\" reads [CLS] and [SEP] from the first training text, which has {attended} token(s)", TokensPath);
    }

    /// <summary>A progress line per tenth of the vocabulary (synchronous, so lines keep their order); the whole run takes about a minute on two cores.</summary>
    private sealed class TokenLines(IProgress<StageProgress> progress, int vocabulary) : IProgress<int>
    {
        private long _tenths;

        public void Report(int value)
        {
            long tenths = value * 10L / vocabulary;
            if (tenths > _tenths || value == vocabulary)
            {
                _tenths = tenths;
                progress.Report(new StageProgress($"{TokensPath}: teacher embeddings of {value:N0}/{vocabulary:N0} tokens", (double)value / vocabulary, null));
            }
        }
    }
}

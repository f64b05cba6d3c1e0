using System.Globalization;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Layers;
using Compression.Models.Spec;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Initialization;

/// <summary>
/// Model2Vec-style start of a static (bag-of-tokens) student (Tulkens and van Dongen, 2024): the teacher's
/// sentence embedding of every vocabulary token on its own (<c>[CLS] token [SEP]</c>, mean-pooled, unit length),
/// reduced by PCA to the width of the student's token table. The word table gets the reduced vectors, the
/// position table zeros, and a linear layer right after the mean pool that maps the table's width back to the
/// teacher's gets the PCA's inverse, so the untrained student already gives (before its final normalisation)
/// the mean of its tokens' teacher embeddings; distillation then starts from there. Tokens the training texts
/// never use keep a meaningful vector instead of a random one, which is what a static student lacks most.
/// </summary>
/// <remarks>
/// Written here because Model2Vec is a Python package for PyTorch models; this reads any BERT-family ONNX
/// encoder through ONNX Runtime. Model2Vec's Zipf re-weighting is left to the distillation, which learns each
/// token's vector length (hence the token-embedding's <c>"norm": false</c>: a LayerNorm would make every token
/// count the same).
/// </remarks>
public static class TeacherTokenTable
{
    private const int TokensPerRun = 512;

    /// <summary>
    /// The teacher's embedding of each id 0..<paramref name="vocabulary"/>-1 framed as <c>[cls] id [sep]</c>:
    /// row-major [vocabulary, hidden] unit vectors.
    /// </summary>
    /// <param name="teacher">The BERT-family encoder.</param>
    /// <param name="vocabulary">How many ids to embed (the student's token table's rows).</param>
    /// <param name="cls">The id the tokenizer opens every text with.</param>
    /// <param name="sep">The id it closes every text with.</param>
    /// <param name="progress">Receives the tokens done; null for none.</param>
    /// <param name="cancellationToken">Checked between runs.</param>
    public static float[] EmbedTokens(OnnxSentenceEncoder teacher, int vocabulary, long cls, long sep, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        var ids = new long[vocabulary * 3L];
        var mask = new long[ids.Length];
        Array.Fill(mask, 1L);
        for (int id = 0; id < vocabulary; id++)
        {
            ids[3 * id] = cls;
            ids[(3 * id) + 1] = id;
            ids[(3 * id) + 2] = sep;
        }
        return teacher.EncodeInBatches(ids, mask, vocabulary, TokensPerRun, progress, cancellationToken);
    }

    /// <summary>
    /// Writes the PCA-reduced token embeddings into the student's single token-embedding layer (and the
    /// PCA's inverse into the linear layer right after its mean pool, when it maps the table's width to the
    /// teacher's); returns what was done, for the stage's report.
    /// </summary>
    /// <param name="student">A freshly built student.</param>
    /// <param name="tokenEmbeddings">From <see cref="EmbedTokens"/>: [rows, <paramref name="teacherHidden"/>].</param>
    /// <param name="teacherHidden">The teacher's embedding width.</param>
    /// <param name="studentPath">The spec's path in the config, for errors.</param>
    /// <exception cref="ModelSpecException">The student has no or several token-embedding layers, a LayerNorm in it,
    /// another vocabulary than the embedded one, or a table wider than the teacher's embeddings (the field is named).</exception>
    public static string Copy(SequentialModel student, float[] tokenEmbeddings, int teacherHidden, string studentPath)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(tokenEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(teacherHidden);
        int rows = tokenEmbeddings.Length / teacherHidden;
        int index = CheckAgainstTeacher(student.Spec, rows, teacherHidden, studentPath);
        var module = (TokenEmbeddingModule)student.Layers[index];
        int width = (int)module.WordTable.shape[1];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor embeddings = tensor(tokenEmbeddings, [rows, teacherHidden]).to_type(ScalarType.Float64);
        Tensor mean = embeddings.mean([0]);
        Tensor centred = embeddings - mean;
        Tensor covariance = centred.t().mm(centred) / (rows - 1);
        var (values, vectors) = linalg.eigh(covariance);
        // eigh sorts ascending: the last columns are the directions of most variance, largest first after the flip.
        Tensor components = vectors.narrow(1, teacherHidden - width, width).flip(1);
        double explained = values.narrow(0, teacherHidden - width, width).sum().item<double>() / values.sum().item<double>();
        module.WordTable.copy_(centred.mm(components).to_type(ScalarType.Float32));
        module.PositionTable.zero_();
        Linear? projection = ProjectionAfterPool(student, index, width, teacherHidden);
        if (projection is not null)
        {
            projection.weight!.copy_(components.to_type(ScalarType.Float32));
            projection.bias?.copy_(mean.to_type(ScalarType.Float32));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"token table from the teacher's embeddings of its {rows:N0} tokens alone, PCA {teacherHidden} -> {width} keeping {explained * 100:0.0}% of their variance{(projection is null ? "" : ", the projection after the mean pool as the PCA's inverse")}");
    }

    /// <summary>What can be checked without the teacher: the index of the spec's one token-embedding layer, which has no LayerNorm.</summary>
    /// <exception cref="ModelSpecException">No or several token-embedding layers, or one with a LayerNorm (the field is named).</exception>
    public static int TableLayer(ModelSpec spec, string studentPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int[] found = [.. Enumerable.Range(0, spec.Layers.Count).Where(i => spec.Layers[i].Type is TokenEmbeddingLayer)];
        if (found.Length != 1)
        {
            throw new ModelSpecException($"{studentPath}.layers", $"'{studentPath}' has {found.Length} token-embedding layers; a token table from the teacher needs exactly one");
        }
        var settings = (TokenEmbeddingLayer.Settings)spec.Layers[found[0]].Settings;
        string path = $"{studentPath}.layers[{found[0]}]";
        return settings.Norm
            ? throw new ModelSpecException($"{path}.norm", $"'{path}' has a LayerNorm: set \"norm\": false for a token table from the teacher (a LayerNorm gives every token vector the same length, so the mean pool could not weigh them)")
            : found[0];
    }

    /// <summary>What <see cref="Copy"/> needs of the spec against the teacher: <see cref="TableLayer"/>, the teacher's vocabulary, and no wider than its embeddings; returns the layer's index.</summary>
    /// <exception cref="ModelSpecException">See <see cref="Copy"/>.</exception>
    public static int CheckAgainstTeacher(ModelSpec spec, int vocabulary, int teacherHidden, string studentPath)
    {
        int index = TableLayer(spec, studentPath);
        var settings = (TokenEmbeddingLayer.Settings)spec.Layers[index].Settings;
        string path = $"{studentPath}.layers[{index}]";
        if (settings.Vocabulary != vocabulary)
        {
            throw new ModelSpecException($"{path}.vocabulary", string.Create(CultureInfo.InvariantCulture,
                $"'{path}.vocabulary' is {settings.Vocabulary} but the teacher's vocabulary has {vocabulary} tokens: expected {vocabulary}"));
        }
        if (settings.Hidden > teacherHidden)
        {
            throw new ModelSpecException($"{path}.hidden", string.Create(CultureInfo.InvariantCulture,
                $"'{path}.hidden' is {settings.Hidden} but the teacher's embeddings have {teacherHidden} values: expected at most {teacherHidden} (the table is the teacher's token embeddings reduced by PCA)"));
        }
        return index;
    }

    /// <summary>The linear layer right after the mean pool that follows the token embedding, if it maps width to teacherHidden.</summary>
    private static Linear? ProjectionAfterPool(SequentialModel student, int embedding, int width, int teacherHidden)
    {
        IReadOnlyList<nn.Module<Tensor, Tensor>> layers = student.Layers;
        int pool = Enumerable.Range(embedding + 1, layers.Count - embedding - 1).FirstOrDefault(i => layers[i] is MeanPoolModule, -1);
        return pool >= 0 && pool + 1 < layers.Count && layers[pool + 1] is Linear linear
            && linear.weight!.shape[0] == teacherHidden && linear.weight.shape[1] == width
            ? linear
            : null;
    }
}

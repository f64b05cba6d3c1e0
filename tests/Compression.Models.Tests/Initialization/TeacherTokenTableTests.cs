using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Initialization;
using Compression.Models.Spec;
using Compression.Models.Tests.Evaluation.Embeddings;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Initialization;

/// <summary>
/// The Model2Vec-style token table: the teacher's embedding of each token framed as [CLS] token [SEP], and a
/// static student that starts as the mean of its tokens' vectors (exactly, when the PCA keeps every direction or
/// the table has no more directions than the width).
/// </summary>
public class TeacherTokenTableTests
{
    private const int Vocabulary = 40, TeacherHidden = 6, Length = 7;

    [Fact]
    public void At_the_teachers_width_the_untrained_student_gives_the_mean_of_its_tokens_embeddings()
    {
        float[] table = RandomTable(rank: TeacherHidden, seed: 1);
        using SequentialModel student = ModelFactory.Create(StaticStudent(width: TeacherHidden), seed: 1);

        string done = TeacherTokenTable.Copy(student, table, TeacherHidden, "student");

        Assert.Contains("PCA 6 -> 6 keeping 100.0% of their variance", done, StringComparison.Ordinal);
        Assert.Contains("the projection after the mean pool as the PCA's inverse", done, StringComparison.Ordinal);
        AssertMeanOfTokens(student, table);
    }

    [Fact]
    public void A_table_with_as_many_directions_as_the_width_loses_nothing_in_the_reduction()
    {
        float[] table = RandomTable(rank: 3, seed: 2);
        using SequentialModel student = ModelFactory.Create(StaticStudent(width: 3), seed: 1);

        string done = TeacherTokenTable.Copy(student, table, TeacherHidden, "student");

        Assert.Contains("PCA 6 -> 3 keeping 100", done, StringComparison.Ordinal);
        AssertMeanOfTokens(student, table);
    }

    [Fact]
    public void A_table_reduced_below_its_rank_keeps_its_two_main_directions_and_says_how_much_variance()
    {
        // Six directions, two of them 20 times stronger (values of about 10): two columns keep about 99% of the
        // variance, and the untrained student is the mean of its tokens' vectors up to the four weak directions.
        float[] table = RandomTable(rank: TeacherHidden, seed: 3, strong: 2);
        using SequentialModel student = ModelFactory.Create(StaticStudent(width: 2), seed: 1);

        string done = TeacherTokenTable.Copy(student, table, TeacherHidden, "student");

        double kept = double.Parse(done.Split("keeping ")[1].Split("% of their variance")[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(kept, 97.0, 99.99);
        AssertMeanOfTokens(student, table, tolerance: 0.3);
    }

    [Theory]
    [InlineData("\"norm\":false", "\"norm\":true", "student.layers[0].norm", "set \"norm\": false")]
    [InlineData("\"vocabulary\":40", "\"vocabulary\":41", "student.layers[0].vocabulary", "is 41 but the teacher's vocabulary has 40 tokens")]
    [InlineData("\"hidden\":6", "\"hidden\":8", "student.layers[0].hidden", "expected at most 6")]
    public void A_student_that_cannot_take_the_table_is_refused_at_its_field(string from, string to, string path, string message)
    {
        ModelSpec spec = Specs.Parse(StaticStudentJson(TeacherHidden).Replace(from, to, StringComparison.Ordinal), "student");
        using SequentialModel student = ModelFactory.Create(spec, seed: 1);

        var error = Assert.Throws<ModelSpecException>(() => TeacherTokenTable.Copy(student, RandomTable(TeacherHidden, seed: 1), TeacherHidden, "student"));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_tokens_row_is_the_teachers_embedding_of_that_token_framed_by_cls_and_sep()
    {
        using var teacher = new OnnxSentenceEncoder(MiniLmFiles.Files.ModelPath, intraOpThreads: 1);
        const long cls = 101, sep = 102;

        float[] rows = TeacherTokenTable.EmbedTokens(teacher, 1200, cls, sep, progress: null, CancellationToken.None);

        Assert.Equal(1200 * teacher.HiddenSize, rows.Length);
        foreach (int id in new[] { 0, 101, 1037, 1199 })
        {
            float[] one = teacher.Encode([cls, id, sep], [1, 1, 1], 1);
            float largest = one.Select((v, h) => Math.Abs(v - rows[(id * teacher.HiddenSize) + h])).Max();
            Assert.True(largest < 1e-5f, $"token {id}: {largest}");
        }
        // Different tokens, different vectors.
        Assert.NotEqual(rows[(1037 * teacher.HiddenSize)..((1037 * teacher.HiddenSize) + 8)], rows[(1038 * teacher.HiddenSize)..((1038 * teacher.HiddenSize) + 8)]);
    }

    private static void AssertMeanOfTokens(SequentialModel student, float[] table, double tolerance = 1e-4)
    {
        student.eval();
        float[] samples = Layers.TokenSamples.Batch(4, Length, seed: 5).Select(v => v % Vocabulary).ToArray();
        float[] actual;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            actual = student.forward(tensor(samples, [4, 2, Length])).data<float>().ToArray();
        }
        for (int b = 0; b < 4; b++)
        {
            var expected = new double[TeacherHidden];
            int count = 0;
            for (int t = 0; t < Length; t++)
            {
                if (samples[(b * 2 * Length) + Length + t] > 0)
                {
                    int id = (int)samples[(b * 2 * Length) + t];
                    count++;
                    for (int h = 0; h < TeacherHidden; h++)
                    {
                        expected[h] += table[(id * TeacherHidden) + h];
                    }
                }
            }
            for (int h = 0; h < TeacherHidden; h++)
            {
                Assert.InRange(actual[(b * TeacherHidden) + h], (expected[h] / count) - tolerance, (expected[h] / count) + tolerance);
            }
        }
    }

    /// <summary>[Vocabulary, TeacherHidden] values of the given rank plus an offset (a table's mean is not zero); the first <paramref name="strong"/> directions 20 times larger.</summary>
    private static float[] RandomTable(int rank, int seed, int strong = 0)
    {
        var random = new Random(seed);
        double[,] basis = new double[rank, TeacherHidden];
        for (int r = 0; r < rank; r++)
        {
            for (int h = 0; h < TeacherHidden; h++)
            {
                basis[r, h] = random.NextDouble() - 0.5;
            }
        }
        var table = new float[Vocabulary * TeacherHidden];
        for (int v = 0; v < Vocabulary; v++)
        {
            double[] weights = [.. Enumerable.Range(0, rank).Select(r => ((random.NextDouble() * 2) - 1) * (r < strong ? 20 : 1))];
            for (int h = 0; h < TeacherHidden; h++)
            {
                table[(v * TeacherHidden) + h] = (float)(0.3 + Enumerable.Range(0, rank).Sum(r => weights[r] * basis[r, h]));
            }
        }
        return table;
    }

    private static ModelSpec StaticStudent(int width) => Specs.Parse(StaticStudentJson(width), "student");

    /// <summary>A static student without the final normalisation, so its output is the projected mean itself.</summary>
    private static string StaticStudentJson(int width) =>
        $$"""
        {"input": [2, {{Length}}], "layers": [
          {"type":"token-embedding","vocabulary":40,"hidden":{{width}},"maxPositions":8,"dropout":0,"norm":false},
          {"type":"mean-pool"},
          {"type":"linear","out":{{TeacherHidden}}}]}
        """;
}

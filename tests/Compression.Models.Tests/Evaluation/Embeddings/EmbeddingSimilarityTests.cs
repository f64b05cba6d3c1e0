using Compression.Models.Evaluation.Embeddings;

namespace Compression.Models.Tests.Evaluation.Embeddings;

public class EmbeddingSimilarityTests
{
    // By hand: [3,4]·[4,3] = 24 over 5·5: 0.96; [0,2]·[5,0] = 0; [1,1] against [-2,-2]: -1; a zero row: 0.
    private static readonly float[] Student = [3, 4, 0, 2, 1, 1, 0, 0];
    private static readonly float[] Teacher = [4, 3, 5, 0, -2, -2, 1, 0];

    [Fact]
    public void Row_cosines_are_computed_from_the_rows_own_norms()
    {
        double[] cosines = EmbeddingSimilarity.RowCosines(Student, Teacher, 2);

        Assert.Equal(4, cosines.Length);
        Assert.Equal(0.96, cosines[0], 1e-12);
        Assert.Equal(0, cosines[1], 1e-12);
        Assert.Equal(-1, cosines[2], 1e-12);
        Assert.Equal(0, cosines[3]);
    }

    [Fact]
    public void Mean_cosine_is_the_mean_over_rows()
    {
        Assert.Equal((0.96 + 0 - 1 + 0) / 4, EmbeddingSimilarity.MeanCosine(Student, Teacher, 2), 1e-12);
        Assert.Equal(0.75, EmbeddingSimilarity.MeanCosine(Student, Student, 2), 1e-12); // its zero row scores 0, not 1
    }

    [Fact]
    public void Embeddings_of_another_shape_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => EmbeddingSimilarity.MeanCosine(Student, Teacher[..6], 2));

        Assert.Contains("Expected the teacher's embeddings in the student's shape ([4, 2]), got 6 values", error.Message);
    }

    [Fact]
    public void A_non_finite_value_is_refused_naming_its_row()
    {
        float[] broken = [.. Student];
        broken[5] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => EmbeddingSimilarity.MeanCosine(broken, Teacher, 2));

        Assert.Contains("Row 2 has a non-finite value (NaN)", error.Message);
        Assert.Equal("student", error.ParamName);
    }
}

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>How close one model's embeddings are to another's for the same inputs (a student's to its teacher's).</summary>
public static class EmbeddingSimilarity
{
    /// <summary>
    /// The cosine similarity of each row of <paramref name="student"/> with the same row of <paramref name="teacher"/>
    /// (row-major [rows, <paramref name="dimension"/>] both; norms computed here, so the rows need not be unit length).
    /// A row that is all zeros in either has cosine 0: it points nowhere, so it agrees with nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ or do not split into rows of <paramref name="dimension"/>, or a value is NaN or infinite.</exception>
    public static double[] RowCosines(ReadOnlySpan<float> student, ReadOnlySpan<float> teacher, int dimension)
    {
        int rows = EmbeddingRows.Count(student, dimension, nameof(student));
        if (teacher.Length != student.Length)
        {
            throw new ArgumentException($"Expected the teacher's embeddings in the student's shape ([{rows}, {dimension}]), got {teacher.Length} values.", nameof(teacher));
        }
        EmbeddingRows.CheckFinite(student, dimension, nameof(student));
        EmbeddingRows.CheckFinite(teacher, dimension, nameof(teacher));
        var cosines = new double[rows];
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> s = student.Slice(row * dimension, dimension);
            ReadOnlySpan<float> t = teacher.Slice(row * dimension, dimension);
            double dot = 0, ss = 0, tt = 0;
            for (int i = 0; i < dimension; i++)
            {
                dot += (double)s[i] * t[i];
                ss += (double)s[i] * s[i];
                tt += (double)t[i] * t[i];
            }
            cosines[row] = ss == 0 || tt == 0 ? 0 : Math.Clamp(dot / Math.Sqrt(ss * tt), -1, 1);
        }
        return cosines;
    }

    /// <summary>The mean of <see cref="RowCosines"/>: 1 when every row points the same way as the teacher's.</summary>
    /// <exception cref="ArgumentException">As <see cref="RowCosines"/>.</exception>
    public static double MeanCosine(ReadOnlySpan<float> student, ReadOnlySpan<float> teacher, int dimension) =>
        RowCosines(student, teacher, dimension).Average();
}

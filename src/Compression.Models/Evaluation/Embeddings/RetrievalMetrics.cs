using System.Numerics;
using System.Runtime.InteropServices;
using Compression.Onnx;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>
/// Retrieval quality of an embedding model by exact cosine search: every query against every document,
/// where query i's relevant document is document i (documents past the queries' count are distractors).
/// </summary>
/// <remarks>
/// Ties count against the relevant document: its rank is 1 + the number of other documents whose cosine
/// with the query is at least its own. So the result does not depend on the documents' order, and a model
/// that maps everything to one point (all cosines equal) ranks every relevant document last rather than
/// first. Cosines are dot products of the rows scaled to unit length (norms in double, products in float);
/// a zero row stays zero and ties with everything at 0.
/// </remarks>
public static class RetrievalMetrics
{
    /// <summary>Ranks each query's relevant document among <paramref name="documents"/>.</summary>
    /// <param name="queries">Row-major [queries, <paramref name="dimension"/>] query embeddings.</param>
    /// <param name="documents">Row-major [documents, <paramref name="dimension"/>], at least as many rows as queries.</param>
    /// <param name="dimension">Embedding length.</param>
    /// <exception cref="ArgumentException">A shape does not split into rows, fewer documents than queries, or a value is NaN or infinite.</exception>
    public static RetrievalScores Evaluate(ReadOnlySpan<float> queries, ReadOnlySpan<float> documents, int dimension)
    {
        int queryCount = EmbeddingRows.Count(queries, dimension, nameof(queries));
        int documentCount = EmbeddingRows.Count(documents, dimension, nameof(documents));
        if (documentCount < queryCount)
        {
            throw new ArgumentException($"Query i's relevant document is document i: expected at least {queryCount} documents, got {documentCount}.", nameof(documents));
        }
        EmbeddingRows.CheckFinite(queries, dimension, nameof(queries));
        EmbeddingRows.CheckFinite(documents, dimension, nameof(documents));
        float[] unitQueries = UnitRows(queries, dimension);
        float[] unitDocuments = UnitRows(documents, dimension);
        var ranks = new int[queryCount];
        var options = new ParallelOptions { MaxDegreeOfParallelism = ComputeThreads.Count };
        Parallel.For(0, queryCount, options, q =>
        {
            ReadOnlySpan<float> query = unitQueries.AsSpan(q * dimension, dimension);
            float relevant = Dot(query, unitDocuments.AsSpan(q * dimension, dimension));
            int rank = 1;
            for (int d = 0; d < documentCount; d++)
            {
                if (d != q && Dot(query, unitDocuments.AsSpan(d * dimension, dimension)) >= relevant)
                {
                    rank++;
                }
            }
            ranks[q] = rank;
        });
        return new RetrievalScores(ranks, documentCount);
    }

    /// <summary>
    /// A dot product whose summation order depends on the index alone (lanes of <see cref="Vector{T}"/>, then the
    /// tail), never on where the rows lie in memory: two equal documents get bit-equal scores, so ties are ties.
    /// </summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
        ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (int v = 0; v < va.Length; v++)
        {
            sum += va[v] * vb[v];
        }
        float total = Vector.Sum(sum);
        for (int i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    private static float[] UnitRows(ReadOnlySpan<float> rows, int dimension)
    {
        var unit = new float[rows.Length];
        for (int start = 0; start < rows.Length; start += dimension)
        {
            ReadOnlySpan<float> row = rows.Slice(start, dimension);
            double squares = 0;
            foreach (float value in row)
            {
                squares += (double)value * value;
            }
            double scale = squares == 0 ? 0 : 1 / Math.Sqrt(squares);
            for (int i = 0; i < dimension; i++)
            {
                unit[start + i] = (float)(row[i] * scale);
            }
        }
        return unit;
    }
}

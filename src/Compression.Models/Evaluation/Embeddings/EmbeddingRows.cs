using System.Globalization;

namespace Compression.Models.Evaluation.Embeddings;

/// <summary>Shape and value checks shared by the embedding metrics.</summary>
internal static class EmbeddingRows
{
    public static int Count(ReadOnlySpan<float> embeddings, int dimension, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (embeddings.Length == 0 || embeddings.Length % dimension != 0)
        {
            throw new ArgumentException($"{embeddings.Length} values do not split into one or more rows of {dimension}.", name);
        }
        return embeddings.Length / dimension;
    }

    /// <summary>A NaN compares false with everything, so a broken model's rows would otherwise score as ties or wins.</summary>
    public static void CheckFinite(ReadOnlySpan<float> embeddings, int dimension, string name)
    {
        for (int i = 0; i < embeddings.Length; i++)
        {
            if (!float.IsFinite(embeddings[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {i / dimension} has a non-finite value ({embeddings[i]}) at {i % dimension}: the model's output is broken."), name);
            }
        }
    }
}

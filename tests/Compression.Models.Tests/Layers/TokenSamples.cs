using Compression.Models.Spec;

namespace Compression.Models.Tests.Layers;

/// <summary>Tiny text students and tokenised samples in the [2, length] contract (row 0 ids, row 1 mask).</summary>
internal static class TokenSamples
{
    /// <summary>vocabulary 50, hidden 16, 2 heads, two encoders, mean-pool, a projection and L2 normalisation; length 8.</summary>
    public const string StudentJson = """
        {"input":[2,8],"layers":[
          {"type":"token-embedding","name":"embeddings","vocabulary":50,"hidden":16,"maxPositions":12,"dropout":0.1},
          {"type":"encoder","name":"enc1","heads":2,"hidden":16,"intermediate":32,"dropout":0.1},
          {"type":"encoder","name":"enc2","heads":2,"hidden":16,"intermediate":32},
          {"type":"mean-pool","name":"pooled"},
          {"type":"linear","out":6},
          {"type":"normalize"}]}
        """;

    public static ModelSpec Student() => Specs.Parse(StudentJson);

    /// <summary>
    /// <paramref name="batch"/> samples of <paramref name="length"/> positions, sample i holding 2 + i % (length - 1)
    /// tokens ([CLS]-like 1 first) and then padding whose ids are <paramref name="paddingId"/>.
    /// </summary>
    public static float[] Batch(int batch, int length, int seed, int paddingId = 0)
    {
        var random = new Random(seed);
        var values = new float[batch * 2 * length];
        for (int b = 0; b < batch; b++)
        {
            int tokens = 2 + (b % (length - 1));
            tokens = Math.Min(tokens, length);
            for (int t = 0; t < length; t++)
            {
                bool real = t < tokens;
                values[(b * 2 * length) + t] = real ? (t == 0 ? 1 : random.Next(2, 50)) : paddingId;
                values[(b * 2 * length) + length + t] = real ? 1 : 0;
            }
        }
        return values;
    }

    /// <summary>The same samples with every row cut or padded (id <paramref name="paddingId"/>, mask 0) to <paramref name="length"/>.</summary>
    public static float[] Repad(float[] samples, int batch, int fromLength, int length, int paddingId)
    {
        var values = new float[batch * 2 * length];
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < length; t++)
            {
                bool inside = t < fromLength && samples[(b * 2 * fromLength) + fromLength + t] == 1;
                values[(b * 2 * length) + t] = inside ? samples[(b * 2 * fromLength) + t] : paddingId;
                values[(b * 2 * length) + length + t] = inside ? 1 : 0;
            }
        }
        return values;
    }
}

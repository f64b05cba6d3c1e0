using Compression.Abstractions.Data;
using Compression.Models;
using Compression.Models.Export;

namespace Compression.Plugins.Tests.Quantization;

/// <summary>A tiny untrained transformer sentence encoder and tokenised text pairs for it, as the embedding task has them.</summary>
internal static class TextEmbeddingModels
{
    public const int Length = 16;

    private const string Spec = """
        {"input":[2,16],"layers":[
          {"type":"token-embedding","vocabulary":40,"hidden":32,"maxPositions":16,"dropout":0},
          {"type":"encoder","heads":2,"hidden":32,"intermediate":64,"dropout":0},
          {"type":"mean-pool"},
          {"type":"linear","out":24},
          {"type":"normalize"}]}
        """;

    /// <summary>The encoder exported to <paramref name="folder"/>/fp32.onnx (dynamic sequence length).</summary>
    public static string Export(string folder)
    {
        using var model = ModelFactory.Create(StageHarness.Spec(Spec), 5);
        string path = Path.Combine(folder, "fp32.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }

    /// <summary>
    /// Train: <paramref name="pairs"/> x 4 random texts; test: <paramref name="pairs"/> queries (the first half of
    /// each document's words) then the documents. [CLS] = 2, [SEP] = 3, [PAD] = 0, words 5..39.
    /// </summary>
    public static DataSplits Data(int pairs, int seed)
    {
        var random = new Random(seed);
        int[] Words() => [.. Enumerable.Range(0, random.Next(4, Length - 2)).Select(_ => random.Next(5, 40))];
        var documents = Enumerable.Range(0, pairs).Select(_ => Words()).ToList();
        var queries = documents.Select(d => d[..(d.Length / 2)]).ToList();
        var train = Enumerable.Range(0, pairs * 4).Select(_ => Words()).ToList();
        return new DataSplits(Texts(train), Texts(train[..pairs]), Texts([.. queries, .. documents]), 0, "texts");
    }

    private static LabelledData Texts(IReadOnlyList<int[]> texts)
    {
        var features = new float[texts.Count * 2 * Length];
        for (int i = 0; i < texts.Count; i++)
        {
            int[] ids = [2, .. texts[i], 3];
            for (int t = 0; t < ids.Length; t++)
            {
                features[(i * 2 * Length) + t] = ids[t];
                features[(i * 2 * Length) + Length + t] = 1;
            }
        }
        return new LabelledData(features, [2, Length], [.. Enumerable.Repeat(LabelledData.NoLabel, texts.Count)]);
    }
}

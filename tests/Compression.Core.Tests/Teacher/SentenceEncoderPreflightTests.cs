using Compression.Core.Config;
using Compression.Core.Running;
using Compression.Core.Teacher;

namespace Compression.Core.Tests.Teacher;

/// <summary>The sentence-encoder teacher of the embedding task, checked from the config before anything runs.</summary>
public sealed class SentenceEncoderPreflightTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SentenceEncoderPreflightTests()
    {
        _folder.Write("encoder.onnx", "not read by the preflight");
        _folder.Write("vocab.txt", "[PAD]\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_sentence_encoder_for_the_classification_task_is_CMP1004_at_it()
    {
        Finding finding = Assert.Single(Check("classification", """{ "sentenceEncoder": "minilm" }"""));

        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.StartsWith("'teacher.sentenceEncoder' gives sentence embeddings, not class scores", finding.Message);
        Assert.Equal(3, finding.Location!.Line);
    }

    [Fact]
    public void The_embedding_task_without_a_sentence_encoder_is_CMP1005()
    {
        _folder.Write("teacher.onnx", "x");

        Finding finding = Assert.Single(Check("embedding", """{ "onnx": "teacher.onnx" }"""));

        Assert.Equal(ErrorCodes.MissingField, finding.Code);
        Assert.StartsWith("the task 'embedding' needs a sentence-encoder teacher", finding.Message);
    }

    [Fact]
    public void An_unknown_packaged_encoder_an_unknown_key_a_missing_file_and_onnx_beside_it_are_located()
    {
        Finding name = Assert.Single(Check("embedding", """{ "sentenceEncoder": "minilm2" }"""));
        Finding key = Assert.Single(Check("embedding", """{ "sentenceEncoder": { "onnx": "encoder.onnx", "vocab": "vocab.txt", "pooling": "cls" } }"""));
        Finding missing = Assert.Single(Check("embedding", """{ "sentenceEncoder": { "onnx": "absent.onnx", "vocab": "vocab.txt" } }"""));
        Finding noVocab = Assert.Single(Check("embedding", """{ "sentenceEncoder": { "onnx": "encoder.onnx" } }"""));
        Finding both = Assert.Single(Check("embedding", """{ "sentenceEncoder": "minilm", "onnx": "encoder.onnx" }"""));

        Assert.Equal((ErrorCodes.InvalidValue, 3), (name.Code, name.Location!.Line));
        Assert.Contains("must be \"minilm\"", name.Message);
        Assert.Equal(ErrorCodes.UnknownField, key.Code);
        Assert.Equal("'teacher.sentenceEncoder' has no field \"pooling\": expected \"onnx\" (the encoder's ONNX file) and \"vocab\" (its WordPiece vocab.txt)", key.Message);
        Assert.Equal(ErrorCodes.DataNotFound, missing.Code);
        Assert.StartsWith("'teacher.sentenceEncoder.onnx': the encoder's ONNX file not found", missing.Message);
        Assert.Equal(ErrorCodes.MissingField, noVocab.Code);
        Assert.StartsWith("'teacher.sentenceEncoder.vocab' is required", noVocab.Message);
        Assert.Equal(ErrorCodes.InvalidValue, both.Code);
        Assert.Equal("'teacher' has both \"sentenceEncoder\" and \"onnx\": a sentence encoder is the whole teacher, give one", both.Message);
    }

    [Fact]
    public void A_user_encoder_with_its_files_passes()
    {
        Assert.Empty(Check("embedding", """{ "sentenceEncoder": { "onnx": "encoder.onnx", "vocab": "vocab.txt" } }"""));
    }

    /// <summary>The findings for a config whose teacher is on line 3.</summary>
    private List<Finding> Check(string task, string teacher) =>
        TeacherPreflight.Check(ConfigLoader.Load(_folder.Write("compression.json", $$"""
            {
              "task": "{{task}}",
              "teacher": {{teacher}}
            }
            """)), new MemoryBudget(1L << 30, "test"));
}

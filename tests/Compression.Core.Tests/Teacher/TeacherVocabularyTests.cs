using System.Text.Json;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Teacher;

namespace Compression.Core.Tests.Teacher;

/// <summary><c>data.settings.vocab: "teacher"</c> names the sentence-encoder teacher's vocabulary.</summary>
public sealed class TeacherVocabularyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Teacher_becomes_the_encoders_vocabulary_path_and_the_file_is_an_input()
    {
        _folder.Write("encoder.onnx", "x");
        string vocab = _folder.Write("vocab.txt", "[PAD]\n");
        LoadedConfig loaded = Load("""{ "sentenceEncoder": { "onnx": "encoder.onnx", "vocab": "vocab.txt" } }""");

        JsonElement? settings = TeacherVocabulary.Substitute(loaded, loaded.Config.Data!.Settings, null, CancellationToken.None);

        Assert.Equal(vocab, settings!.Value.GetProperty("vocab").GetString());
        Assert.Equal(8, settings.Value.GetProperty("maxLength").GetInt32());
        Assert.Contains(vocab, ConfigInputs.Files(loaded));
        Assert.Contains(System.IO.Path.Combine(_folder.Path, "encoder.onnx"), ConfigInputs.Files(loaded));
    }

    [Fact]
    public void Teacher_without_a_sentence_encoder_is_CMP1004_at_the_vocab()
    {
        _folder.Write("teacher.onnx", "x");
        LoadedConfig loaded = Load("""{ "onnx": "teacher.onnx" }""");

        var error = Assert.Throws<CompressionException>(() => TeacherVocabulary.Substitute(loaded, loaded.Config.Data!.Settings, null, CancellationToken.None));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal(3, finding.Location!.Line);
    }

    [Fact]
    public void Minilm_without_a_folder_to_extract_into_is_left_as_written()
    {
        LoadedConfig loaded = Load("""{ "sentenceEncoder": "minilm" }""");

        JsonElement? settings = TeacherVocabulary.Substitute(loaded, loaded.Config.Data!.Settings, null, CancellationToken.None);

        Assert.Equal("teacher", settings!.Value.GetProperty("vocab").GetString());
    }

    /// <summary>A config whose data.settings.vocab is on line 3.</summary>
    private LoadedConfig Load(string teacher) => ConfigLoader.Load(_folder.Write("compression.json", $$"""
        {
          "task": "embedding", "data": { "format": "text",
            "settings": { "vocab": "teacher", "maxLength": 8 } },
          "teacher": {{teacher}}
        }
        """));
}

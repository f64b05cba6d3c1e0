using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Teacher;

/// <summary>
/// <c>"data.settings": { "vocab": "teacher" }</c>: the text format tokenises with the sentence-encoder
/// teacher's own vocabulary (the user's <c>sentenceEncoder.vocab</c>, or MiniLM's extracted from its
/// package), so the ids the student and the teacher see are the ones the teacher was trained on.
/// </summary>
public static class TeacherVocabulary
{
    /// <summary>The value of <c>data.settings.vocab</c> that names the teacher's vocabulary.</summary>
    public const string Marker = "teacher";

    /// <summary>
    /// <paramref name="settings"/> with <c>vocab: "teacher"</c> replaced by the vocabulary's absolute path; unchanged
    /// when it names a file, or when MiniLM's path is asked for without a <paramref name="cacheFolder"/> to extract
    /// it into (<c>compress validate</c> binds the settings without reading the data).
    /// </summary>
    /// <exception cref="CompressionException">The teacher is not a sentence encoder, or MiniLM cannot be extracted.</exception>
    public static JsonElement? Substitute(LoadedConfig loaded, JsonElement? settings, string? cacheFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (settings is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("vocab", out JsonElement vocab)
            || vocab.ValueKind != JsonValueKind.String || vocab.GetString() != Marker)
        {
            return settings;
        }
        if (loaded.Config.Teacher?.SentenceEncoder is not JsonElement encoder)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'data.settings.vocab': \"{Marker}\" names the vocabulary of a sentence-encoder teacher (\"teacher\": {{ \"sentenceEncoder\": ... }}), and this config's teacher is not one: give the path of a vocab.txt",
                loaded.Locations.LocateValue("data.settings.vocab"));
        }
        SentenceEncoderSource source = SentenceEncoderSource.Parse(loaded, encoder, "teacher");
        string? path = source.VocabPath ?? (cacheFolder is null ? null : source.Resolve(loaded, "teacher", cacheFolder, cancellationToken).VocabularyPath);
        if (path is null)
        {
            return settings;
        }
        JsonObject replaced = JsonNode.Parse(json.GetRawText())!.AsObject();
        replaced["vocab"] = path;
        return JsonDocument.Parse(replaced.ToJsonString()).RootElement.Clone();
    }
}

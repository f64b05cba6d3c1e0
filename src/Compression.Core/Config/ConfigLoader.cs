using System.Text;
using System.Text.Json;
using Compression.Core.Diagnostics;

namespace Compression.Core.Config;

/// <summary>A parsed config, with what is needed to point errors back into the file.</summary>
public sealed record LoadedConfig(string FilePath, CompressionConfig Config, JsonDocument Document, JsonLocationIndex Locations)
{
    /// <summary>Folder of the config file; relative paths resolve against it.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;

    /// <summary>Resolves a path written in the config.</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(path, Directory);

    /// <summary>A binder that reports against this file.</summary>
    public SettingsBinder Binder => new(Locations);
}

/// <summary>Reads compression.json strictly, reporting every problem with its line and column.</summary>
public static class ConfigLoader
{
    /// <summary>
    /// Largest compression.json read: 1 MiB. A config holds settings and model specs (a few kilobytes);
    /// indexing every value's position takes about 80 bytes a value, so a 25 MB file of numbers
    /// peaked at 1.9 GB before this limit.
    /// </summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>Loads and binds the config; throws <see cref="CompressionException"/> listing all problems.</summary>
    public static LoadedConfig Load(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new CompressionException(ErrorCodes.ConfigNotFound,
                $"config file not found: {fullPath} (expected a compression.json)", new SourceLocation(fullPath));
        }
        long length = new FileInfo(fullPath).Length;
        if (length > MaxBytes)
        {
            throw new CompressionException(ErrorCodes.ConfigTooLarge,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"compression.json is {length:N0} bytes, above the limit of {MaxBytes:N0} bytes (1 MiB): a config holds settings and model specs, not data; put data in the files 'data' names"),
                new SourceLocation(fullPath, 1, 1));
        }
        byte[] utf8 = File.ReadAllBytes(fullPath);
        RequireUtf8(utf8, fullPath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException ex)
        {
            int line = (int)(ex.LineNumber ?? 0) + 1;
            throw new CompressionException(ErrorCodes.ConfigSyntax,
                $"not valid JSON: {FirstSentence(ex.Message)}", new SourceLocation(fullPath, line, Column(utf8, line, (int)(ex.BytePositionInLine ?? 0))));
        }

        var locations = JsonLocationIndex.Build(fullPath, utf8);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new CompressionException(ErrorCodes.ConfigSyntax,
                "expected a JSON object at the top of compression.json", new SourceLocation(fullPath, 1, 1));
        }
        var findings = locations.Duplicates.Select(d => new Finding(Severity.Error, ErrorCodes.DuplicateKey,
            $"'{d.Path}' appears twice in the same object (first at line {d.FirstLine}): JSON readers keep only one of them silently; remove the other \"{d.Name}\"", d.Second)).ToList();
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        FindUnusableValues(document.RootElement, "", locations, findings);
        var config = new SettingsBinder(locations).Bind<CompressionConfig>(document.RootElement, "", findings);
        if (config is null || findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        return new LoadedConfig(fullPath, config, document, locations);
    }

    /// <summary>
    /// Values valid JSON allows but no setting can take, reported at the value before binding trips
    /// on them: a string with a NUL character (never a valid path or name; .NET's path APIs throw on
    /// it) or an unpaired surrogate escape (cannot become a .NET string), and null inside a list.
    /// </summary>
    private static void FindUnusableValues(JsonElement element, string path, JsonLocationIndex locations, List<Finding> findings)
    {
        void Report(string code, string message) => findings.Add(new Finding(Severity.Error, code, message, locations.LocateValue(path)));
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                string? text = null;
                try
                {
                    text = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    Report(ErrorCodes.ConfigSyntax, $"'{path}' has an unpaired surrogate escape (\\ud800-\\udfff alone): expected valid Unicode text");
                }
                if (text is not null && text.Contains('\0', StringComparison.Ordinal))
                {
                    Report(ErrorCodes.InvalidValue, $"'{path}' contains a NUL character (\\u0000): expected a path or name without control characters");
                }
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    FindUnusableValues(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", locations, findings);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    // Numbers and booleans cannot be unusable: no path string for each of them.
                    if (item.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        index++;
                        continue;
                    }
                    string itemPath = $"{path}[{index++}]";
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue, $"'{itemPath}' is null: expected a value", locations.LocateValue(itemPath)));
                        continue;
                    }
                    FindUnusableValues(item, itemPath, locations, findings);
                }
                break;
        }
    }

    /// <summary>
    /// JsonDocument accepts invalid UTF-8 inside names and strings and throws only when one is read,
    /// deep in binding: check the whole file first and point at the first bad byte.
    /// </summary>
    private static void RequireUtf8(byte[] utf8, string path)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return;
        }
        int offset = 0;
        while (offset < utf8.Length
            && System.Text.Rune.DecodeFromUtf8(utf8.AsSpan(offset), out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }
        int line = 1 + utf8.AsSpan(0, offset).Count((byte)'\n');
        int lineStart = utf8.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
        throw new CompressionException(ErrorCodes.ConfigSyntax,
            $"not valid UTF-8 text (byte 0x{utf8[offset]:X2} at byte {offset}): save compression.json as UTF-8",
            new SourceLocation(path, line, Encoding.UTF8.GetCharCount(utf8, lineStart, offset - lineStart) + 1));
    }

    /// <summary>
    /// The 1-based column, in characters as <see cref="JsonLocationIndex"/> and editors count them, of a
    /// byte position within a 1-based line (System.Text.Json reports syntax errors in bytes).
    /// </summary>
    private static int Column(byte[] utf8, int line, int byteInLine)
    {
        int lineStart = 0;
        for (int i = 1; i < line; i++)
        {
            int next = utf8.AsSpan(lineStart).IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }
            lineStart += next + 1;
        }
        return Encoding.UTF8.GetCharCount(utf8, lineStart, Math.Clamp(byteInLine, 0, utf8.Length - lineStart)) + 1;
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

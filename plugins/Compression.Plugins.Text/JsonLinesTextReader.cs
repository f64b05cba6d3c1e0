using System.Text.Json;
using Compression.Data;

namespace Compression.Plugins.Text;

/// <summary>
/// Reads a JSON Lines text file: one JSON object a line (blank lines skipped), the text a string under
/// the text key and the label a string or an integer under the label key. A problem is a
/// <see cref="DataFormatException"/> at its line, naming the key.
/// </summary>
internal static class JsonLinesTextReader
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    /// <summary>Reads the text key and, when <paramref name="labelColumn"/> is given, the label key.</summary>
    public static TextRows Read(string path, string text, string textColumn, string? labelColumn, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        var texts = new List<string>();
        var labels = labelColumn is null ? null : new List<TextLabel>();
        var lines = new List<int>();
        int lineNumber = 0;
        foreach (Range range in text.AsSpan().Split('\n'))
        {
            lineNumber++;
            ReadOnlySpan<char> line = text.AsSpan(range).TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                continue;
            }
            if ((lines.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            using JsonDocument document = Parse(path, line, lineNumber);
            JsonElement row = document.RootElement;
            if (row.ValueKind != JsonValueKind.Object)
            {
                throw new DataFormatException(path, $"{name}:{lineNumber}: expected a JSON object, found {Kind(row.ValueKind)}", lineNumber);
            }
            JsonElement value = Property(path, row, textColumn, lineNumber);
            if (value.ValueKind != JsonValueKind.String)
            {
                throw new DataFormatException(path, $"{name}:{lineNumber}, key \"{textColumn}\": expected the text as a JSON string, found {Kind(value.ValueKind)}", lineNumber);
            }
            texts.Add(value.GetString()!);
            if (labels is not null)
            {
                labels.Add(Label(path, Property(path, row, labelColumn!, lineNumber), labelColumn!, lineNumber));
            }
            lines.Add(lineNumber);
        }
        return new TextRows(path, [.. texts], labels?.ToArray(), [.. lines], null, null);
    }

    private static JsonDocument Parse(string path, ReadOnlySpan<char> line, int lineNumber)
    {
        try
        {
            return JsonDocument.Parse(line.ToString(), s_options);
        }
        catch (JsonException exception)
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)}:{lineNumber}: expected one JSON object on the line, found invalid JSON ({exception.Message})",
                lineNumber, innerException: exception);
        }
    }

    private static JsonElement Property(string path, JsonElement row, string key, int lineNumber)
    {
        if (row.TryGetProperty(key, out JsonElement value))
        {
            return value;
        }
        string[] keys = [.. row.EnumerateObject().Select(property => $"\"{property.Name}\"")];
        throw new DataFormatException(path,
            $"{Path.GetFileName(path)}:{lineNumber}: expected a key \"{key}\", found {(keys.Length == 0 ? "no keys" : $"the keys {string.Join(", ", keys)}")}",
            lineNumber);
    }

    private static TextLabel Label(string path, JsonElement value, string key, int lineNumber)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return new TextLabel(value.GetString()!.Trim(), IsNumber: false);
            case JsonValueKind.Number when value.TryGetInt32(out int index):
                return new TextLabel(index.ToString(System.Globalization.CultureInfo.InvariantCulture), IsNumber: true);
            default:
                string found = value.ValueKind == JsonValueKind.Number ? $"the number {value.GetRawText()}" : Kind(value.ValueKind);
                throw new DataFormatException(path,
                    $"{Path.GetFileName(path)}:{lineNumber}, key \"{key}\": expected a class label as a string (a class name) or an integer (a class index), found {found}",
                    lineNumber);
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

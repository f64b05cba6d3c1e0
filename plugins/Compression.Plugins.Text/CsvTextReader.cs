using System.Text;
using Compression.Data;

namespace Compression.Plugins.Text;

/// <summary>
/// Reads a CSV text file (RFC 4180): a header row naming the columns, then one record a row; fields
/// separated by commas; a field in double quotes may hold commas, line breaks and quotes written twice
/// (""); records end at LF or CRLF; blank lines are skipped. Unquoted fields are taken as they are
/// (RFC 4180 keeps spaces); header names and labels are trimmed. A problem is a
/// <see cref="DataFormatException"/> at the record's line and field.
/// </summary>
internal static class CsvTextReader
{
    /// <summary>Reads the text column and, when <paramref name="labelColumn"/> is given, the label column.</summary>
    public static TextRows Read(string path, string text, string textColumn, string? labelColumn, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        var parser = new Parser(path, text);
        string[]? header = null;
        int headerLine = 0;
        while (parser.Next() is { } record)
        {
            if (!record.Blank)
            {
                header = [.. record.Fields.Select(field => field.Trim())];
                headerLine = record.Line;
                break;
            }
        }
        if (header is null)
        {
            throw new DataFormatException(path, $"{name}: expected a header row naming the columns (\"{textColumn}\"{(labelColumn is null ? "" : $", \"{labelColumn}\"")}), found an empty file");
        }
        int textIndex = Column(path, header, headerLine, textColumn);
        int labelIndex = labelColumn is null ? -1 : Column(path, header, headerLine, labelColumn);

        var texts = new List<string>();
        var labels = labelColumn is null ? null : new List<TextLabel>();
        var lines = new List<int>();
        while (parser.Next() is { } record)
        {
            if (record.Blank)
            {
                continue;
            }
            if ((lines.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (record.Fields.Count != header.Length)
            {
                throw new DataFormatException(path,
                    $"{name}:{record.Line}: expected {header.Length} fields as in the header, found {record.Fields.Count} (a text with a comma or a line break must be in double quotes)",
                    record.Line, Math.Min(record.Fields.Count, header.Length) + 1);
            }
            texts.Add(record.Fields[textIndex]);
            labels?.Add(new TextLabel(record.Fields[labelIndex].Trim(), IsNumber: false));
            lines.Add(record.Line);
        }
        return new TextRows(path, [.. texts], labels?.ToArray(), [.. lines], textIndex + 1, labelIndex < 0 ? null : labelIndex + 1);
    }

    private static int Column(string path, string[] header, int line, string column)
    {
        int index = Array.IndexOf(header, column);
        if (index < 0)
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)}:{line}: expected a column named \"{column}\" in the header, found {string.Join(", ", header.Select(h => $"\"{h}\""))}",
                line);
        }
        if (Array.IndexOf(header, column, index + 1) is int second and >= 0)
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)}:{line}: expected one column named \"{column}\", found it at fields {index + 1} and {second + 1}",
                line, second + 1);
        }
        return index;
    }

    /// <summary>One record: its fields, the line it starts on, and whether it was an empty line.</summary>
    private sealed record Record(List<string> Fields, int Line, bool Blank);

    /// <summary>Splits the text into records, tracking line numbers through quoted line breaks.</summary>
    private sealed class Parser(string path, string text)
    {
        private readonly StringBuilder _field = new();
        private int _at;
        private int _line = 1;

        public Record? Next()
        {
            if (_at >= text.Length)
            {
                return null;
            }
            int start = _line;
            var fields = new List<string>();
            while (true)
            {
                _field.Clear();
                if (_at < text.Length && text[_at] == '"')
                {
                    ReadQuoted(fields.Count + 1);
                }
                else
                {
                    int end = text.IndexOfAny(['"', ',', '\n', '\r'], _at);
                    end = end < 0 ? text.Length : end;
                    if (end < text.Length && text[end] == '"')
                    {
                        throw new DataFormatException(path,
                            $"{Path.GetFileName(path)}:{_line}, field {fields.Count + 1}: found a double quote inside an unquoted field: expected the whole field in double quotes, with each quote in it written twice (\"\")",
                            _line, fields.Count + 1);
                    }
                    _field.Append(text, _at, end - _at);
                    _at = end;
                }
                fields.Add(_field.ToString());
                if (_at >= text.Length)
                {
                    return Done(fields, start);
                }
                char separator = text[_at++];
                if (separator == ',')
                {
                    continue;
                }
                if (separator == '\r' && _at < text.Length && text[_at] == '\n')
                {
                    _at++;
                }
                _line++;
                return Done(fields, start);
            }
        }

        private static Record Done(List<string> fields, int line) => new(fields, line, fields.Count == 1 && fields[0].Length == 0);

        /// <summary>A quoted field from its opening quote; after it comes a comma, a line break or the end.</summary>
        private void ReadQuoted(int field)
        {
            int openLine = _line;
            _at++;
            while (true)
            {
                int quote = text.IndexOf('"', _at);
                if (quote < 0)
                {
                    throw new DataFormatException(path,
                        $"{Path.GetFileName(path)}:{openLine}, field {field}: expected a closing double quote for the field that starts here, found the end of the file",
                        openLine, field);
                }
                _line += text.AsSpan(_at, quote - _at).Count('\n');
                _field.Append(text, _at, quote - _at);
                _at = quote + 1;
                if (_at < text.Length && text[_at] == '"')
                {
                    _field.Append('"');
                    _at++;
                    continue;
                }
                if (_at < text.Length && text[_at] is not (',' or '\n' or '\r'))
                {
                    throw new DataFormatException(path,
                        $"{Path.GetFileName(path)}:{_line}, field {field}: expected a comma or the end of the line after the closing double quote, found '{text[_at]}'",
                        _line, field);
                }
                return;
            }
        }
    }
}

using System.Globalization;
using System.Text;

namespace Compression.Data.Csv;

/// <summary>
/// One CSV file parsed into features and label texts; labels are encoded later, over all files. A
/// file read without labels (transfer data) has no label texts, and a label column it has is skipped.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] featureNames, float[] features, string[] labelTexts, int[] rowLines, int labelColumn)
    {
        Path = path;
        FeatureNames = featureNames;
        Features = features;
        LabelTexts = labelTexts;
        RowLines = rowLines;
        LabelColumn = labelColumn;
    }

    public string Path { get; }

    public string[] FeatureNames { get; }

    public float[] Features { get; }

    /// <summary>The label field of each row; empty when the file was read without labels.</summary>
    public string[] LabelTexts { get; }

    /// <summary>1-based line of each row, for error messages; its length is the number of rows.</summary>
    public int[] RowLines { get; }

    /// <summary>1-based column of the label, for error messages; 0 when the file has no label column.</summary>
    public int LabelColumn { get; }

    /// <summary>Parses a file of features and the label column <paramref name="label"/>.</summary>
    public static CsvTable Parse(string path, CsvLabelColumn label, CancellationToken cancellationToken) =>
        Parse(path, (header, lineNumber) => FindLabelColumn(path, header, label, lineNumber), readLabels: true, cancellationToken);

    /// <summary>
    /// Parses a file of features without labels whose feature columns are <paramref name="featureNames"/>
    /// (matched ignoring case, in the same order). The file may also have the label column
    /// <paramref name="label"/>: it is then skipped, its values neither read nor checked.
    /// </summary>
    public static CsvTable ParseUnlabelled(string path, IReadOnlyList<string> featureNames, CsvLabelColumn label, CancellationToken cancellationToken) =>
        Parse(path, (header, lineNumber) => FindOptionalLabelColumn(path, header, featureNames, label, lineNumber), readLabels: false, cancellationToken);

    /// <summary>The parser; <paramref name="findLabel"/> maps the header (and its line) to the label column's 0-based index, or -1 when there is none.</summary>
    private static CsvTable Parse(string path, Func<string[], int, int> findLabel, bool readLabels, CancellationToken cancellationToken)
    {
        string name = System.IO.Path.GetFileName(path);
        (byte[] bytes, int length) = CsvSource.Read(path);
        using var reader = new StreamReader(new MemoryStream(bytes, 0, length, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

        int lineNumber = 0;
        string? line;
        string[]? header = null;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                header = SplitFields(path, line, lineNumber);
                break;
            }
        }
        if (header is null)
        {
            throw new DataFormatException(path, $"{name}: expected a header row naming the columns, found an empty file.");
        }
        if (header.All(field => TryParseNumber(field, out _)))
        {
            throw new DataFormatException(path, $"{name}:{lineNumber}: expected a header row naming the columns, found only numbers ({Preview(header)}).", lineNumber, 1);
        }
        int labelIndex = findLabel(header, lineNumber);

        string[] featureNames = [.. header.Where((_, i) => i != labelIndex)];
        var features = new List<float>();
        var labelTexts = new List<string>();
        var lines = new List<int>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if ((lineNumber & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            string[] fields = SplitFields(path, line, lineNumber);
            if (fields.Length != header.Length)
            {
                throw new DataFormatException(path,
                    $"{name}:{lineNumber}: expected {header.Length} columns as in the header ({featureNames.Length} features{(labelIndex >= 0 ? " and the label" : "")}), found {fields.Length}.",
                    lineNumber, Math.Min(fields.Length, header.Length) + 1);
            }
            for (int i = 0; i < fields.Length; i++)
            {
                if (i == labelIndex)
                {
                    if (!readLabels)
                    {
                        continue;
                    }
                    if (fields[i].Length == 0)
                    {
                        throw new DataFormatException(path, $"{name}:{lineNumber}, column {i + 1} ('{header[i]}'): expected a label, found an empty field.", lineNumber, i + 1);
                    }
                    labelTexts.Add(fields[i]);
                    continue;
                }
                if (!TryParseNumber(fields[i], out float value))
                {
                    throw new DataFormatException(path,
                        $"{name}:{lineNumber}, column {i + 1} ('{header[i]}'): expected a finite number (invariant culture, e.g. 1.5), found '{fields[i]}'.",
                        lineNumber, i + 1);
                }
                features.Add(value);
            }
            lines.Add(lineNumber);
        }
        return new CsvTable(path, featureNames, [.. features], [.. labelTexts], [.. lines], labelIndex + 1);
    }

    private static int FindLabelColumn(string path, string[] header, CsvLabelColumn label, int lineNumber)
    {
        string name = System.IO.Path.GetFileName(path);
        if (label.Index is int index)
        {
            if (index >= header.Length)
            {
                throw new DataFormatException(path, $"{name}:{lineNumber}: expected a label column at position {index} (0-based), but the header has only {header.Length} columns ({Preview(header)}).", lineNumber);
            }
            return index;
        }
        int[] matches = [.. Enumerable.Range(0, header.Length).Where(i => string.Equals(header[i], label.Name, StringComparison.OrdinalIgnoreCase))];
        if (matches.Length == 0)
        {
            throw new DataFormatException(path, $"{name}:{lineNumber}: expected a label column named '{label.Name}' in the header, found columns {Preview(header)}.", lineNumber);
        }
        if (matches.Length > 1)
        {
            throw new DataFormatException(path, $"{name}:{lineNumber}: expected one label column named '{label.Name}', found {matches.Length} (columns {string.Join(", ", matches.Select(i => i + 1))}).", lineNumber, matches[1] + 1);
        }
        return matches[0];
    }

    private static int FindOptionalLabelColumn(string path, string[] header, IReadOnlyList<string> featureNames, CsvLabelColumn label, int lineNumber)
    {
        int labelIndex = -1;
        if (header.Length == featureNames.Count + 1)
        {
            int[] named = [.. Enumerable.Range(0, header.Length).Where(i => string.Equals(header[i], label.Name, StringComparison.OrdinalIgnoreCase))];
            labelIndex = label.Index ?? (named.Length == 1 ? named[0] : -1);
        }
        string[] features = [.. header.Where((_, i) => i != labelIndex)];
        if (!features.SequenceEqual(featureNames, StringComparer.OrdinalIgnoreCase))
        {
            throw new DataFormatException(path,
                $"{System.IO.Path.GetFileName(path)}:{lineNumber}: expected the {featureNames.Count} feature columns of the training data in the same order ({string.Join(", ", featureNames)}), optionally with the label column {label}, found {header.Length} columns ({string.Join(", ", header)}).",
                lineNumber);
        }
        return labelIndex;
    }

    internal static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    private static string Preview(string[] fields)
    {
        const int Shown = 8;
        string shown = string.Join(", ", fields.Take(Shown).Select(f => $"'{f}'"));
        return fields.Length > Shown ? $"{shown}, ... ({fields.Length} in all)" : shown;
    }

    /// <summary>Splits one line on commas; fields may be double-quoted (with "" for a quote); whitespace around fields is trimmed; a NUL character is refused.</summary>
    private static string[] SplitFields(string path, string line, int lineNumber)
    {
        int nul = line.IndexOf('\0');
        if (nul >= 0)
        {
            // .NET's number parsing ignores trailing NULs, and a NUL in a name or label is never meant: refuse it.
            int column = line.AsSpan(0, nul).Count(',') + 1;
            throw new DataFormatException(path,
                $"{System.IO.Path.GetFileName(path)}:{lineNumber}, column {column}: expected text, found a NUL character (\\0) at character {nul + 1} (is this a CSV file?)",
                lineNumber, column);
        }
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                int start = i;
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new DataFormatException(path,
                            $"{System.IO.Path.GetFileName(path)}:{lineNumber}, column {fields.Count + 1}: expected a closing quote for the field that starts at character {start + 1}, found the end of the line.",
                            lineNumber, fields.Count + 1);
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i]);
                    i++;
                }
                while (i < line.Length && line[i] != ',')
                {
                    i++;
                }
                fields.Add(field.ToString());
            }
            else
            {
                int end = line.IndexOf(',', i);
                if (end < 0)
                {
                    end = line.Length;
                }
                fields.Add(line[i..end].Trim());
                i = end;
            }
            if (i >= line.Length)
            {
                return [.. fields];
            }
            i++;
        }
    }
}

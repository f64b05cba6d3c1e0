using System.Globalization;
using Compression.Data;

namespace Compression.Plugins.Text;

/// <summary>
/// Turns the labels of the train and test files into class indices, the same encoding for both: when
/// every label is an integer (a JSON number, or text that is one) they are the indices (0 or more);
/// otherwise every label is a class name and the classes are the distinct names in ordinal order. A
/// JSON number among class names, an empty label or a negative index is an error at its line.
/// </summary>
internal static class TextLabels
{
    /// <summary>The labels of each file, and the class names (null when the labels were indices).</summary>
    public static (int[][] Labels, string[]? ClassNames) Encode(IReadOnlyList<TextRows> files, string column)
    {
        foreach (TextRows rows in files)
        {
            for (int i = 0; i < rows.Texts.Length; i++)
            {
                if (rows.Labels![i].Text.Length == 0)
                {
                    throw Error(rows, i, column, "expected a class label, found an empty one");
                }
            }
        }
        bool integers = files.All(rows => rows.Labels!.All(label => IsInteger(label.Text)));
        if (integers)
        {
            return ([.. files.Select(rows => Indices(rows, column))], null);
        }
        foreach (TextRows rows in files)
        {
            if (Array.FindIndex(rows.Labels!, label => label.IsNumber) is int number and >= 0)
            {
                (TextRows where, int row) = FirstName(files);
                throw Error(rows, number, column,
                    $"expected every label a class name (a JSON string) or every one a class index (an integer), found the number {rows.Labels![number].Text} among names such as \"{where.Labels![row].Text}\" ({Path.GetFileName(where.Path)}:{where.Lines[row]})");
            }
        }
        string[] names = [.. files.SelectMany(rows => rows.Labels!).Select(label => label.Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            indexOf[names[i]] = i;
        }
        return ([.. files.Select(rows => rows.Labels!.Select(label => indexOf[label.Text]).ToArray())], names);
    }

    private static bool IsInteger(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static int[] Indices(TextRows rows, string column)
    {
        var labels = new int[rows.Texts.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = int.Parse(rows.Labels![i].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (labels[i] < 0)
            {
                throw Error(rows, i, column, $"expected a class index of 0 or more (or a class name), found {labels[i]}");
            }
        }
        return labels;
    }

    private static (TextRows Rows, int Row) FirstName(IReadOnlyList<TextRows> files)
    {
        foreach (TextRows rows in files)
        {
            if (Array.FindIndex(rows.Labels!, label => !IsInteger(label.Text)) is int row and >= 0)
            {
                return (rows, row);
            }
        }
        throw new InvalidOperationException("no class name among labels that are not all integers");
    }

    private static DataFormatException Error(TextRows rows, int row, string column, string what) =>
        new(rows.Path, $"{rows.At(row, column, rows.LabelField)}: {what}", rows.Lines[row], rows.LabelField);
}

using System.Globalization;

namespace Compression.Data.Csv;

/// <summary>
/// Reads CSV files of numeric feature columns and one label column (or, for transfer data, without
/// one: <see cref="ReadFeatures"/>). A header row is required (it names the label column and keeps a
/// reordered file from being silently misread); numbers use the invariant culture so a file reads
/// the same on every machine. Labels are either integers in
/// [0, n) or class names, which become indices in ordinal sort order. Every problem becomes a
/// <see cref="DataFormatException"/> naming the file, line and column.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads one file.</summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="label">Which column holds the label.</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    /// <exception cref="DataFormatException">The file has no header, no such label column, a row of the wrong width, a non-numeric feature or a negative integer label.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CsvData Read(string path, CsvLabelColumn label, CancellationToken cancellationToken = default) =>
        ReadAll([path], label, cancellationToken)[0];

    /// <summary>
    /// Reads several files (e.g. train and test) that share one label encoding: either all labels
    /// in all files are integers, or all their distinct values together are the class names, so the
    /// same name gets the same index in every file.
    /// </summary>
    /// <param name="paths">The files, in the order the results are returned.</param>
    /// <param name="label">Which column holds the label, in every file.</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    /// <exception cref="DataFormatException">A file is malformed (see <see cref="Read"/>).</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static IReadOnlyList<CsvData> ReadAll(IReadOnlyList<string> paths, CsvLabelColumn label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (label.Name is null && label.Index is null)
        {
            label = CsvLabelColumn.Named("label");
        }
        var tables = new CsvTable[paths.Count];
        for (int i = 0; i < tables.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            tables[i] = CsvTable.Parse(paths[i], label, cancellationToken);
        }

        bool integers = tables.All(t => t.LabelTexts.All(text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)));
        if (integers)
        {
            return [.. tables.Select(EncodeIntegers)];
        }
        string[] classNames = [.. tables.SelectMany(t => t.LabelTexts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Length; i++)
        {
            indexOf[classNames[i]] = i;
        }
        return [.. tables.Select(t => new CsvData(t.Features, t.FeatureNames, [.. t.LabelTexts.Select(text => indexOf[text])], classNames))];
    }

    /// <summary>
    /// Reads a file of features without labels (transfer data): its columns must be
    /// <paramref name="featureNames"/> (the training file's feature columns, matched ignoring case, in
    /// the same order). The file may also have the label column, e.g. when it is a labelled file whose
    /// labels are not to be used: that column is dropped and its values are neither read nor checked.
    /// </summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="featureNames">The feature columns expected, in order.</param>
    /// <param name="label">Which column is the label, should the file have one.</param>
    /// <param name="cancellationToken">Stops a long read.</param>
    /// <exception cref="DataFormatException">The file has no header, other columns than expected, a row of the wrong width or a non-numeric feature.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CsvFeatures ReadFeatures(string path, IReadOnlyList<string> featureNames, CsvLabelColumn label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (label.Name is null && label.Index is null)
        {
            label = CsvLabelColumn.Named("label");
        }
        CsvTable table = CsvTable.ParseUnlabelled(path, featureNames, label, cancellationToken);
        return new CsvFeatures(table.Features, table.FeatureNames, table.RowLines.Length);
    }

    private static CsvData EncodeIntegers(CsvTable table)
    {
        var labels = new int[table.LabelTexts.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = int.Parse(table.LabelTexts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (labels[i] < 0)
            {
                throw new DataFormatException(table.Path,
                    $"{Path.GetFileName(table.Path)}:{table.RowLines[i]}, column {table.LabelColumn}: expected an integer class label of 0 or more (or a class name), found {labels[i]}.",
                    table.RowLines[i], table.LabelColumn);
            }
        }
        return new CsvData(table.Features, table.FeatureNames, labels, null);
    }
}

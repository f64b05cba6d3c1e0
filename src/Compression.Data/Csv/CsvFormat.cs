using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Data.Csv;

/// <summary>The "csv" format: one file per split with numeric feature columns and a label column (<c>data.labelColumn</c>).</summary>
public sealed class CsvFormat : DataFormat
{
    /// <inheritdoc/>
    public override string Name => "csv";

    /// <inheritdoc/>
    public override IReadOnlyList<string> FileKeys { get; } = ["path"];

    /// <inheritdoc/>
    public override string ExampleFiles => "{\"path\": \"....csv\"}";

    /// <inheritdoc/>
    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        CsvLabelColumn label = LabelColumn(options);
        IReadOnlyList<CsvData> csv = CsvReader.ReadAll([options.Train.Path!, options.Test.Path!], label, cancellationToken);
        CheckSameColumns(options.Train.Path!, csv[0], options.Test.Path!, csv[1]);
        var train = new DataFormatSplit(csv[0].Features, [csv[0].FeatureNames.Length], csv[0].Labels, options.Train.Path!, options.Train.Path!);
        var test = new DataFormatSplit(csv[1].Features, [csv[1].FeatureNames.Length], csv[1].Labels, options.Test.Path!, options.Test.Path!);
        DataFormatSplit? transfer = null;
        if (options.Transfer is DataFiles transferFiles)
        {
            CsvFeatures rows = CsvReader.ReadFeatures(transferFiles.Path!, csv[0].FeatureNames, label, cancellationToken);
            transfer = DataFormatSplit.Unlabelled(rows.Features, [rows.FeatureNames.Length], rows.Count, transferFiles.Path!);
        }
        return new DataFormatContent(train, test, transfer, csv[0].ClassNames);
    }

    /// <inheritdoc/>
    public override string? HashedSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.LabelColumnIndex is int index ? $"labelColumnIndex={index};" : $"labelColumn={options.LabelColumn.ToLowerInvariant()};";
    }

    /// <inheritdoc/>
    public override IEnumerable<string> TestSetSettings(DataSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [options.LabelColumn];
    }

    private static CsvLabelColumn LabelColumn(DataSetOptions options) =>
        options.LabelColumnIndex is int index ? CsvLabelColumn.At(index) : CsvLabelColumn.Named(options.LabelColumn);

    private static void CheckSameColumns(string trainPath, CsvData train, string testPath, CsvData test)
    {
        if (train.FeatureNames.Length == test.FeatureNames.Length
            && !train.FeatureNames.SequenceEqual(test.FeatureNames, StringComparer.OrdinalIgnoreCase))
        {
            throw new DataFormatException(testPath,
                $"{Path.GetFileName(testPath)}: expected the feature columns of {Path.GetFileName(trainPath)} in the same order ({string.Join(", ", train.FeatureNames)}), found ({string.Join(", ", test.FeatureNames)}).",
                line: 1);
        }
    }
}

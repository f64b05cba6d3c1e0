using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compression.Abstractions.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Formats;

/// <summary>A format from outside Compression.Data, registered like a plugin's, goes through the common loading path.</summary>
public sealed class DataFormatTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_registered_format_is_split_normalised_and_subset_like_the_built_in_ones()
    {
        var format = new JsonLinesFormat();
        DataSetOptions options = JsonLines(format) with { Normalization = "standardize", LabeledCount = 3 };

        LoadedDataSet loaded = DataSetLoader.LoadDataSet(options);

        DataSplits splits = loaded.Splits;
        Assert.Equal(3, format.FilesRead);
        Assert.Equal([2], splits.Train.SampleShape);
        Assert.Equal(2, splits.Validation.Count); // round(10 * 0.2)
        Assert.Equal(8, loaded.TeacherTrain.Count);
        Assert.Equal(3, splits.Train.Count);
        Assert.Equal(5 + 2, splits.Transfer.Count); // the 5 hidden rows, then the transfer file's 2
        Assert.Equal(3, splits.ClassCount);
        Assert.All(splits.Transfer.Labels, label => Assert.Equal(LabelledData.NoLabel, label));
        // Standardised with the statistics of the training rows only: their mean is 0 per feature.
        Assert.Equal(0, Enumerable.Range(0, loaded.TeacherTrain.Count).Average(i => loaded.TeacherTrain.Features[i * 2]), 5);
        Assert.Matches("^[0-9a-f]{64}$", splits.ContentHash);
    }

    [Fact]
    public void Each_data_file_is_hashed_once_and_the_digests_are_reused()
    {
        var digests = new DataFileDigests();
        DataSetOptions options = JsonLines(new JsonLinesFormat()) with { Digests = digests };

        LoadedDataSet loaded = DataSetLoader.LoadDataSet(options);
        Assert.Equal(3, digests.FilesHashed);
        string test = digests.Of(options.Test.Path!);
        digests.Of(options.Train.Path!);
        digests.Of(options.Transfer!.Path!);

        Assert.Equal(3, digests.FilesHashed);
        Assert.Same(digests, loaded.Digests);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(options.Test.Path!))), test);
    }

    [Fact]
    public void The_format_settings_go_into_the_content_hash()
    {
        // Every row holds its features under "x" and again under "v": the data read is the same either way.
        DataSetOptions options = JsonLines(new JsonLinesFormat());
        LoadedDataSet fromX = DataSetLoader.LoadDataSet(options with { FormatSettings = new JsonLinesSettings { FeaturesField = "x" } });
        LoadedDataSet fromV = DataSetLoader.LoadDataSet(options with { FormatSettings = new JsonLinesSettings { FeaturesField = "v" } });

        Assert.Equal(fromX.Splits.Train.Features, fromV.Splits.Train.Features);
        Assert.NotEqual(fromX.Splits.ContentHash, fromV.Splits.ContentHash);
        Assert.Equal(fromX.Splits.ContentHash, DataSetLoader.Load(options with { FormatSettings = new JsonLinesSettings { FeaturesField = "x" } }).ContentHash);
    }

    [Fact]
    public void A_format_error_names_the_file_line_and_column()
    {
        DataSetOptions options = JsonLines(new JsonLinesFormat());
        File.WriteAllText(options.Test.Path!, "{\"x\": [1, 2], \"y\": 0}\n{\"z\": 1}\n");

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.LoadDataSet(options));

        Assert.Equal(options.Test.Path, error.FilePath);
        Assert.Equal((2, 1), (error.Line, error.Column));
    }

    [Fact]
    public void An_unknown_format_lists_the_registered_ones_and_missing_files_name_the_key()
    {
        DataSetOptions options = JsonLines(new JsonLinesFormat());

        var unknown = Assert.Throws<ArgumentException>(() => DataSetLoader.LoadDataSet(options with { Format = "parquet" }));
        var missing = Assert.Throws<ArgumentException>(() => DataSetLoader.LoadDataSet(options with { Test = new DataFiles(Features: "x") }));

        Assert.StartsWith("data.format: expected \"idx\", \"csv\" or \"jsonl\", found \"parquet\".", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith("data.test: JSONL needs a \"path\".", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_formats_with_one_name_are_refused_naming_both()
    {
        var error = Assert.Throws<DuplicateDataFormatException>(() => new DataFormatRegistry([new JsonLinesFormat(), new JsonLinesFormat()]));
        var builtIn = Assert.Throws<DuplicateDataFormatException>(() => new DataFormatRegistry([new CsvImpostor()]));

        Assert.Contains("\"jsonl\" is registered twice", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Compression.Data.Csv.CsvFormat).FullName!, builtIn.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(CsvImpostor).FullName!, builtIn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_with_a_file_key_the_config_has_no_place_for_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new DataFormatRegistry([new CsvImpostor("images", "images")]));

        Assert.Contains("\"images\" (", error.Message, StringComparison.Ordinal);
        Assert.Contains("declares the file keys [images]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_returning_features_that_do_not_fit_its_labels_is_a_bug_not_bad_data()
    {
        DataSetOptions options = JsonLines(new JsonLinesFormat()) with { Formats = new DataFormatRegistry([new CsvImpostor("broken")]), Format = "broken" };

        var error = Assert.Throws<InvalidOperationException>(() => DataSetLoader.LoadDataSet(options));

        Assert.Contains("returned 3 feature values for 2 labels of shape [2]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>10 training rows of 2 features (under "x" and again under "v") (classes 0..2), 2 test rows, 2 unlabelled transfer rows.</summary>
    private DataSetOptions JsonLines(JsonLinesFormat format)
    {
        static string Row(float a, float b, int? label) =>
            string.Create(CultureInfo.InvariantCulture, $"{{\"x\": [{a}, {b}], \"v\": [{a}, {b}]{(label is int y ? $", \"y\": {y}" : "")}}}");
        var train = new StringBuilder();
        for (int i = 0; i < 10; i++)
        {
            train.AppendLine(Row(i, 10 - (2 * i), i % 3));
        }
        return new DataSetOptions
        {
            Format = "JSONL",
            Formats = new DataFormatRegistry([format]),
            Train = DataFiles.Csv(_files.WriteText("train.jsonl", train.ToString())),
            Test = DataFiles.Csv(_files.WriteText("test.jsonl", Row(1, 2, 0) + "\n" + Row(3, 4, 2) + "\n")),
            Transfer = DataFiles.Csv(_files.WriteText("transfer.jsonl", Row(5, 5, null) + "\n" + Row(6, 6, null) + "\n")),
            ValidationFraction = 0.2,
            Seed = 7,
        };
    }

    /// <summary>Claims a name (the built-in "csv" by default) and returns features that do not fit its labels.</summary>
    private sealed class CsvImpostor(string name = "csv", string key = "path") : DataFormat
    {
        public override string Name => name;

        public override IReadOnlyList<string> FileKeys { get; } = [key];

        public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken) =>
            new(new DataFormatSplit([1, 2, 3], [2], [0, 1], "a", "a"), new DataFormatSplit([1, 2], [2], [0], "b", "b"), options.Transfer is null ? null : DataFormatSplit.Unlabelled([1, 2], [2], 1, "c"));
    }
}

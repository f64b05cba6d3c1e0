using System.Globalization;
using System.Runtime.InteropServices;
using Compression.Abstractions.Data;
using Compression.Data.Csv;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>A format that serves its splits from files (as the images format does for a large data set) gives the very splits an in-memory one gives.</summary>
public sealed partial class DataSetLoaderTests
{
    [Theory]
    [InlineData("none", null)]
    [InlineData("scale", null)]
    [InlineData("standardize", null)]
    [InlineData("standardize", 12)]
    public void Splits_served_from_files_hold_the_same_values_as_splits_in_memory(string normalization, int? labeledCount)
    {
        DataSetOptions options = Mixed(normalization, labeledCount);
        LoadedDataSet memory = DataSetLoader.LoadDataSet(options);
        LoadedDataSet files = DataSetLoader.LoadDataSet(options with { Formats = new DataFormatRegistry([new FileBackedCsv()]), Format = FileBackedCsv.FormatName });

        Assert.False(files.Splits.Train.IsInMemory);
        Assert.Equal(memory.Normalization!.Mean, files.Normalization!.Mean);
        Assert.Equal(memory.Normalization.Std, files.Normalization.Std);
        foreach ((LabelledData expected, LabelledData actual) in new[]
        {
            (memory.Splits.Train, files.Splits.Train), (memory.Splits.Validation, files.Splits.Validation), (memory.Splits.Test, files.Splits.Test),
            (memory.Splits.Transfer, files.Splits.Transfer), (memory.TeacherTrain, files.TeacherTrain),
        })
        {
            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(expected.Rows(0, expected.Count).ToArray(), actual.Rows(0, actual.Count).ToArray());
        }
    }

    /// <summary>40 training rows of 3 features on different scales (4 classes), 8 test rows and 6 transfer rows.</summary>
    private DataSetOptions Mixed(string normalization, int? labeledCount)
    {
        static string Row(int x, int? label) => string.Create(CultureInfo.InvariantCulture,
            $"{x * 0.37:R},{(x * x) % 17 * 100.5:R},{-x / 3.0:R}{(label is int y ? $",{y}" : "")}");
        string train = _files.WriteText("mixed-train.csv", "a,b,c,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(x => Row(x, x % 4))) + "\n");
        string test = _files.WriteText("mixed-test.csv", "a,b,c,label\n" + string.Join("\n", Enumerable.Range(50, 8).Select(x => Row(x, x % 4))) + "\n");
        string transfer = _files.WriteText("mixed-transfer.csv", "a,b,c\n" + string.Join("\n", Enumerable.Range(70, 6).Select(x => Row(x, null))) + "\n");
        return new DataSetOptions
        {
            Format = "csv",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            Transfer = DataFiles.Csv(transfer),
            Normalization = normalization,
            ValidationFraction = 0.2,
            LabeledCount = labeledCount,
            Seed = 11,
        };
    }

    /// <summary>The CSV format, its splits written to temporary files and served from them.</summary>
    private sealed class FileBackedCsv : DataFormat
    {
        public const string FormatName = "filecsv";

        private readonly CsvFormat _csv = new();

        public override string Name => FormatName;

        public override IReadOnlyList<string> FileKeys => _csv.FileKeys;

        public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
        {
            DataFormatContent content = _csv.Read(options, cancellationToken);
            return content with { Train = InFile(content.Train), Test = InFile(content.Test), Transfer = content.Transfer is null ? null : InFile(content.Transfer) };
        }

        private static DataFormatSplit InFile(DataFormatSplit split)
        {
            string path = Path.Combine(Path.GetTempPath(), $"compression-rows-{Guid.NewGuid():N}.bin");
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(split.Features.AsSpan()).ToArray());
            return split with { Rows = FileRowStore.Open(path, 0, split.Labels.Length, split.Rows.SampleSize, deleteWhenClosed: true) };
        }
    }
}

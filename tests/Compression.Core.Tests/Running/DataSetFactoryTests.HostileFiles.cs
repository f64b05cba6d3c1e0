using System.Diagnostics;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;

namespace Compression.Core.Tests.Running;

/// <summary>Issue 12: paths that are not regular files and splits left empty are bad input (exit 2) at the field that names them.</summary>
public sealed partial class DataSetFactoryTests
{
    [Fact]
    public void Dev_zero_as_the_training_file_is_CMP2005_at_its_value_before_anything_is_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Linux devices; the product runs on Linux x64.
        }
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(CsvConfig(train: "/dev/zero")));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.Equal("'data.train.path': /dev/zero is a character device: expected a regular CSV data file (a folder, device, pipe or socket is never read)", finding.Message);
        Assert.Equal((4, 24), (finding.Location!.Line, finding.Location.Column));
        Assert.True(allocated < 16L << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_fifo_as_the_test_file_is_CMP2005_without_blocking_on_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo; the product runs on Linux x64.
        }
        string fifo = System.IO.Path.Combine(_folder.Path, "test.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(CsvConfig(test: "test.fifo")));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.Equal($"'data.test.path': {fifo} is a FIFO: expected a regular CSV data file (a folder, device, pipe or socket is never read)", finding.Message);
        Assert.Equal(5, finding.Location!.Line);
    }

    [Fact]
    public void A_folder_as_a_data_file_is_CMP2005_not_file_not_found()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_folder.Path, "images"));

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(CsvConfig(train: "images")));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.StartsWith($"'data.train.path': {System.IO.Path.Combine(_folder.Path, "images")} is a folder: expected a regular CSV data file", finding.Message);
    }

    [Fact]
    public void A_symbolic_link_to_a_data_file_is_read_like_the_file()
    {
        File.CreateSymbolicLink(System.IO.Path.Combine(_folder.Path, "link.csv"), System.IO.Path.Combine(_folder.Path, "train.csv"));

        var data = DataSetFactory.Load(CsvConfig(train: "link.csv"));

        Assert.Equal(20, data.TeacherTrain.Count + data.Splits.Validation.Count);
    }

    [Fact]
    public void A_training_csv_with_a_header_and_no_rows_is_CMP2001_at_the_file()
    {
        string empty = _folder.Write("empty.csv", "x,label\n");

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(CsvConfig(train: "empty.csv")));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataInvalid, finding.Code);
        Assert.Equal("empty.csv: holds no samples: the training data needs at least one per class", finding.Message);
        Assert.Equal(empty, finding.Location!.FilePath);
    }

    [Fact]
    public void Training_data_too_small_for_one_validation_sample_is_CMP2001_naming_the_fraction()
    {
        _folder.Write("one.csv", "x,label\n1,0\n");

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(CsvConfig(train: "one.csv", validationFraction: "0.1")));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataInvalid, finding.Code);
        Assert.Equal("one.csv: 1 sample(s) leave no validation sample at validationFraction 0.1: give more data or a larger fraction", finding.Message);
    }

    [Fact]
    public void A_validation_fraction_of_zero_is_refused_when_the_config_loads_with_its_range()
    {
        var error = Assert.Throws<CompressionException>(() => CsvConfig(validationFraction: "0"));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Contains("must be in (0, 0.9]", finding.Message);
        Assert.Equal(6, finding.Location!.Line);
    }

    /// <summary>A CSV config; <c>data.train.path</c> is on line 4, <c>data.test.path</c> on line 5, <c>validationFraction</c> on line 6.</summary>
    private LoadedConfig CsvConfig(string train = "train.csv", string test = "test.csv", string validationFraction = "0.1")
    {
        string path = _folder.Write("compression.json", $$"""
            {
              "data": {
                "format": "csv",
                "train": { "path": "{{train}}" },
                "test": { "path": "{{test}}" },
                "validationFraction": {{validationFraction}},
                "normalization": "none"
              }
            }
            """);
        return ConfigLoader.Load(path);
    }
}

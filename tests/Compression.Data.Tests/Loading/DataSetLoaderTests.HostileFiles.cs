using System.Diagnostics;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>Issue 12: paths that are not regular files, and data sets with nothing in a split.</summary>
public sealed partial class DataSetLoaderTests
{
    [Fact]
    public void A_character_device_as_data_is_refused_before_it_is_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Linux devices and tools; the product runs on Linux x64.
        }
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        DataSetOptions options = TinyIdx(seed: 0) with { Train = DataFiles.Idx("/dev/zero", TinyIdx(seed: 0).Train.Labels!) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal("/dev/zero", error.FilePath);
        Assert.Contains("is not a regular file (a character device)", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 16 << 20, "the device was not read");
    }

    [Fact]
    public void A_fifo_as_data_is_refused_without_blocking_on_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Linux devices and tools; the product runs on Linux x64.
        }
        string fifo = _files.PathOf("data.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        DataSetOptions options = TinyIdx(seed: 0) with { Test = DataFiles.Idx(fifo, TinyIdx(seed: 0).Test.Labels!) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Contains("is not a regular file (a FIFO)", error.Message);
    }

    [Fact]
    public void A_folder_as_data_is_refused()
    {
        DataSetOptions options = TinyIdx(seed: 0) with { Train = DataFiles.Idx(_files.Folder, TinyIdx(seed: 0).Train.Labels!) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public void A_csv_with_a_header_and_no_rows_is_an_input_error_naming_the_file()
    {
        string train = _files.WriteText("empty-train.csv", "x,y,label\n");
        string test = _files.WriteText("test.csv", "x,y,label\n1,2,0\n2,3,1\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal(train, error.FilePath);
        Assert.Contains("empty-train.csv", error.Message);
    }

    [Fact]
    public void A_test_file_with_no_rows_is_an_input_error()
    {
        string train = _files.WriteText("train.csv", "x,label\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n");
        string test = _files.WriteText("empty-test.csv", "x,label\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Contains("empty-test.csv", error.Message);
    }

    [Fact]
    public void A_training_file_too_small_for_a_validation_sample_says_so()
    {
        string train = _files.WriteText("one.csv", "x,label\n1,0\n");
        string test = _files.WriteText("test.csv", "x,label\n1,0\n2,1\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0.1 };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Contains("leave no validation sample", error.Message);
    }

    [Fact]
    public void Fewer_training_samples_than_classes_is_an_input_error()
    {
        string train = _files.WriteText("few.csv", "x,label\n1,0\n2,1\n3,2\n");
        string test = _files.WriteText("test.csv", "x,label\n1,0\n2,1\n3,2\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0.5 };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Contains("fewer than the 3 classes", error.Message);
    }

    [Fact]
    public void A_test_label_that_no_training_sample_has_is_an_input_error_naming_the_class()
    {
        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(TinyIdx(seed: 0, testLabels: [4, 0, 4])));

        Assert.Equal(TinyIdx(seed: 0).Test.Labels, error.FilePath);
        Assert.Equal("test-labels.idx: class 4 has 2 test sample(s) but no training sample: train-labels.idx has none; every class of the test split needs at least one training sample to be learned", error.Message);
    }

    [Fact]
    public void A_test_class_name_that_differs_only_in_case_is_refused_with_a_hint()
    {
        string train = _files.WriteText("train.csv", "x,label\n1,cat\n2,dog\n3,cat\n4,dog\n");
        string test = _files.WriteText("test.csv", "x,label\n1,Cat\n2,dog\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0.25 };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal("test.csv: class 'Cat' has 1 test sample(s) but no training sample: train.csv has none (did you mean 'cat'? class names are case-sensitive); every class of the test split needs at least one training sample to be learned", error.Message);
    }

    [Fact]
    public void A_class_whose_only_training_sample_went_to_validation_is_refused_saying_so()
    {
        const string Rows = "x,label\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n7,0\n8,0\n9,0\n10,1\n";
        int seed = Enumerable.Range(0, 1000).First(s => DataSetLoader.SplitRows(10, 0.2, s).Validation.Contains(9));
        string train = _files.WriteText("train.csv", Rows);
        string test = _files.WriteText("test.csv", "x,label\n1,0\n10,1\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0.2, Seed = seed };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal("test.csv: class 1 has 1 test sample(s) but no training sample: its training samples all went to the validation split (2 of 10 rows); every class of the test split needs at least one training sample to be learned", error.Message);
    }

    [Fact]
    public void A_csv_line_longer_than_a_row_may_be_is_refused_before_it_is_decoded()
    {
        string train = _files.WriteText("long.csv", "x,label\n1,0\n" + new string('7', (1 << 20) + 1) + ",1\n");
        string test = _files.WriteText("test.csv", "x,label\n1,0\n2,1\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal(3, error.Line);
        Assert.Contains("long.csv:3: a line longer than the 1,048,576 bytes a CSV row may have", error.Message);
    }
}

using Compression.Abstractions.Data;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

public sealed partial class DataSetLoaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_vendored_MNIST_loads_into_scaled_splits_with_ten_classes()
    {
        DataSplits splits = DataSetLoader.Load(MnistOptions(seed: 42));

        Assert.Equal(7196, splits.Train.Count);
        Assert.Equal(800, splits.Validation.Count);
        Assert.Equal(2004, splits.Test.Count);
        Assert.Equal(10, splits.ClassCount);
        Assert.Equal([1, 28, 28], splits.Train.SampleShape);
        Assert.Equal(1f, splits.Train.Features.Max(), 6);
        Assert.Equal(0f, splits.Test.Features.Min());
        Assert.Matches("^[0-9a-f]{64}$", splits.ContentHash);
    }

    [Fact]
    public void The_same_seed_gives_the_same_splits_and_another_seed_other_ones()
    {
        DataSplits first = DataSetLoader.Load(TinyIdx(seed: 3));
        DataSplits again = DataSetLoader.Load(TinyIdx(seed: 3));
        DataSplits other = DataSetLoader.Load(TinyIdx(seed: 4));

        Assert.Equal(first.Validation.Features, again.Validation.Features);
        Assert.Equal(first.Train.Labels, again.Train.Labels);
        Assert.Equal(first.ContentHash, again.ContentHash);
        Assert.NotEqual(first.Validation.Features, other.Validation.Features);
        Assert.NotEqual(first.ContentHash, other.ContentHash);
    }

    [Fact]
    public void Validation_is_carved_from_train_without_overlap()
    {
        (int[] train, int[] validation) = DataSetLoader.SplitRows(50, 0.2, seed: 9);

        Assert.Equal(40, train.Length);
        Assert.Equal(10, validation.Length);
        Assert.Equal(Enumerable.Range(0, 50), train.Concat(validation).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(validation, DataSetLoader.SplitRows(50, 0.2, seed: 9).Validation);
    }

    [Theory]
    [InlineData(10, 0.0, 0)]
    [InlineData(10, 0.01, 1)]
    [InlineData(2, 0.9, 1)]
    [InlineData(7996, 0.1, 800)]
    public void Validation_size_is_the_rounded_fraction_keeping_both_sides_non_empty(int count, double fraction, int expected)
    {
        Assert.Equal(expected, DataSetLoader.SplitRows(count, fraction, seed: 0).Validation.Length);
    }

    [Fact]
    public void Scale_multiplies_every_split_by_the_factor()
    {
        DataSplits splits = DataSetLoader.Load(TinyIdx(seed: 1) with { ValidationFraction = 0, Scale = 0.5 });

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 0.5f), splits.Train.Features);
        Assert.Equal([100f, 100.5f, 101f, 101.5f], splits.Test.Features);
    }

    [Fact]
    public void Standardize_uses_the_train_split_statistics_only()
    {
        string train = _files.WriteText("train.csv", "x,y,label\n1,5,0\n3,5,1\n");
        string test = _files.WriteText("test.csv", "x,y,label\n10,7,1\n");
        var options = new DataSetOptions
        {
            Format = "csv",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            ValidationFraction = 0,
            Normalization = "standardize",
        };

        DataSplits splits = DataSetLoader.Load(options);

        // x: train mean 2, std 1; y: constant 5 in train, so only the mean is removed.
        Assert.Equal([-1f, 0f, 1f, 0f], splits.Train.Features);
        Assert.Equal([8f, 2f], splits.Test.Features);
    }

    [Fact]
    public void Standardize_leaves_the_train_split_at_zero_mean_and_unit_deviation_with_validation_held_out()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{i * i},{i % 3}");
        string train = _files.WriteText("train.csv", "x,label\n" + string.Join("\n", rows));
        string test = _files.WriteText("test.csv", "x,label\n1000,0\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), Normalization = "standardize", Seed = 5 };

        DataSplits splits = DataSetLoader.Load(options);

        double mean = splits.Train.Features.Average();
        double std = Math.Sqrt(splits.Train.Features.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, std, 4);
        Assert.NotEqual(0, splits.Validation.Features.Average(), 2);
    }

    [Fact]
    public void Csv_class_names_set_the_class_count()
    {
        string train = _files.WriteText("train.csv", "f,label\n1,cat\n2,dog\n3,emu\n");
        string test = _files.WriteText("test.csv", "f,label\n1,emu\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0, Normalization = "none" };

        DataSplits splits = DataSetLoader.Load(options);

        Assert.Equal(3, splits.ClassCount);
        Assert.Equal([0, 1, 2], splits.Train.Labels);
        Assert.Equal([2], splits.Test.Labels);
        Assert.Equal([1], splits.Train.SampleShape);
    }

    [Fact]
    public void Class_count_is_the_largest_label_plus_one()
    {
        DataSplits splits = DataSetLoader.Load(TinyIdx(seed: 0, testLabels: [2, 0]));

        Assert.Equal(3, splits.ClassCount);
    }

    [Fact]
    public void A_labels_file_shorter_than_its_features_file_names_both_files_and_counts()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string labels = _files.WriteIdx("short-labels.idx", 0x08, [9], new byte[9]);

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options with { Train = options.Train with { Labels = labels } }));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal("short-labels.idx: expected one label per sample of train-images.idx (10), found 9 labels.", error.Message);
    }

    [Fact]
    public void Test_samples_of_another_shape_than_train_are_rejected()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string images = _files.WriteIdx("test-images-3x3.idx", 0x08, [1, 3, 3], new byte[9]);

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options with { Test = options.Test with { Features = images } }));

        Assert.Equal(images, error.FilePath);
        Assert.Equal("test-images-3x3.idx: expected samples of shape [1, 2, 2] as in train-images.idx, found [1, 3, 3].", error.Message);
    }

    [Fact]
    public void Csv_test_with_a_different_feature_count_is_rejected()
    {
        string train = _files.WriteText("train.csv", "a,b,label\n1,2,0\n3,4,1\n");
        string test = _files.WriteText("test.csv", "a,label\n1,0\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal("test.csv: expected samples of shape [2] as in train.csv, found [1].", error.Message);
    }

    [Fact]
    public void The_hash_changes_when_one_byte_of_a_source_file_changes()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string before = DataSetLoader.Load(options).ContentHash;
        byte[] bytes = File.ReadAllBytes(options.Train.Features!);
        bytes[^1] ^= 1;
        File.WriteAllBytes(options.Train.Features!, bytes);

        string after = DataSetLoader.Load(options).ContentHash;

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void The_hash_covers_the_settings_but_not_where_the_files_are()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string hash = DataSetLoader.Load(options).ContentHash;
        string moved = Path.Combine(_files.Folder, "moved");
        Directory.CreateDirectory(moved);
        string Move(string path)
        {
            string target = Path.Combine(moved, Path.GetFileName(path));
            File.Copy(path, target);
            return target;
        }
        DataSetOptions relocated = options with
        {
            Train = DataFiles.Idx(Move(options.Train.Features!), Move(options.Train.Labels!)),
            Test = DataFiles.Idx(Move(options.Test.Features!), Move(options.Test.Labels!)),
        };

        Assert.Equal(hash, DataSetLoader.Load(relocated).ContentHash);
        Assert.NotEqual(hash, DataSetLoader.Load(options with { Normalization = "none" }).ContentHash);
        Assert.NotEqual(hash, DataSetLoader.Load(options with { ValidationFraction = 0.5 }).ContentHash);
    }

    [Fact]
    public void Unknown_option_values_name_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => DataSetLoader.Load(TinyIdx(seed: 0) with { Normalization = "minmax" }));

        Assert.StartsWith("data.normalization: expected \"scale\", \"standardize\" or \"none\", found \"minmax\".", error.Message);
    }

    private static DataSetOptions MnistOptions(int seed)
    {
        string Data(string name) => Path.Combine(RepoPaths.MnistData, name);
        return new DataSetOptions
        {
            Format = "idx",
            Train = DataFiles.Idx(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz")),
            Test = DataFiles.Idx(Data("test-images-idx3-ubyte.gz"), Data("test-labels-idx1-ubyte.gz")),
            Seed = seed,
        };
    }

    /// <summary>10 train images of 2x2 with pixel values 0..39 and labels 0..2; 1 test image 200..203.</summary>
    private DataSetOptions TinyIdx(int seed, byte[]? testLabels = null)
    {
        testLabels ??= [1];
        byte[] trainPixels = [.. Enumerable.Range(0, 40).Select(i => (byte)i)];
        byte[] testPixels = [.. Enumerable.Range(0, 4 * testLabels.Length).Select(i => (byte)(200 + i))];
        return new DataSetOptions
        {
            Format = "idx",
            Train = DataFiles.Idx(
                _files.WriteIdx("train-images.idx", 0x08, [10, 2, 2], trainPixels),
                _files.WriteIdx("train-labels.idx", 0x08, [10], [.. Enumerable.Range(0, 10).Select(i => (byte)(i % 3))], gzip: true)),
            Test = DataFiles.Idx(
                _files.WriteIdx("test-images.idx", 0x08, [testLabels.Length, 2, 2], testPixels, gzip: true),
                _files.WriteIdx("test-labels.idx", 0x08, [testLabels.Length], testLabels)),
            ValidationFraction = 0.3,
            Seed = seed,
        };
    }
}

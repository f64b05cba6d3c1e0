using Compression.Abstractions.Data;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>data.transfer: unlabelled samples read, checked and normalised like train.</summary>
public sealed partial class DataSetLoaderTests
{
    [Fact]
    public void An_idx_transfer_file_is_scaled_like_train_and_has_no_labels()
    {
        DataSetOptions options = TinyIdx(seed: 1) with { Scale = 0.5, Transfer = new DataFiles(Features: TransferImages(3)) };

        DataSplits splits = DataSetLoader.Load(options);

        Assert.Equal([1, 2, 2], splits.Transfer.SampleShape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (100 + i) * 0.5f), splits.Transfer.Features);
        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel, LabelledData.NoLabel], splits.Transfer.Labels);
        Assert.Equal(7, splits.Train.Count);
    }

    [Fact]
    public void Transfer_file_rows_follow_the_rows_whose_labels_were_hidden()
    {
        DataSetOptions options = TinyIdx(seed: 1) with { Normalization = "none", LabeledCount = 4, Transfer = new DataFiles(Features: TransferImages(2)) };

        LoadedDataSet loaded = DataSetLoader.LoadDataSet(options);

        LabelledData transfer = loaded.Splits.Transfer;
        Assert.Equal(3 + 2, transfer.Count);
        float[] hiddenFirstPixels = [.. Enumerable.Range(0, 3).Select(i => transfer.Features[i * 4])];
        Assert.Equal(loaded.TeacherTrain.Features.Where((_, i) => i % 4 == 0).Except(loaded.Splits.Train.Features.Where((_, i) => i % 4 == 0)), hiddenFirstPixels);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => 100f + i), transfer.Features[12..]);
        Assert.All(transfer.Labels, label => Assert.Equal(LabelledData.NoLabel, label));
    }

    [Fact]
    public void A_csv_transfer_file_is_standardized_with_the_train_statistics()
    {
        string train = _files.WriteText("train.csv", "x,y,label\n1,5,0\n3,5,1\n");
        string test = _files.WriteText("test.csv", "x,y,label\n10,7,1\n");
        string transfer = _files.WriteText("unlabelled.csv", "x,y\n4,6\n0,5\n");
        var options = new DataSetOptions
        {
            Format = "csv",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            Transfer = DataFiles.Csv(transfer),
            ValidationFraction = 0,
            Normalization = "standardize",
        };

        DataSplits splits = DataSetLoader.Load(options);

        // x: train mean 2, std 1; y: constant 5 in train (std taken as 1). The transfer rows do not move the statistics.
        Assert.Equal([-1f, 0f, 1f, 0f], splits.Train.Features);
        Assert.Equal([2f, 1f, -2f, 0f], splits.Transfer.Features);
        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel], splits.Transfer.Labels);
    }

    [Fact]
    public void A_csv_transfer_file_with_the_label_column_drops_it_wherever_it_is_and_ignores_its_values()
    {
        string train = _files.WriteText("train.csv", "a,b,label\n1,2,cat\n3,4,dog\n");
        string test = _files.WriteText("test.csv", "a,b,label\n5,6,cat\n");
        string transfer = _files.WriteText("labelled-too.csv", "LABEL,a,b\nemu,7,8\n,9,10\n");
        var options = new DataSetOptions
        {
            Format = "csv",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            Transfer = DataFiles.Csv(transfer),
            ValidationFraction = 0,
            Normalization = "none",
        };

        DataSplits splits = DataSetLoader.Load(options);

        Assert.Equal([7f, 8f, 9f, 10f], splits.Transfer.Features);
        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel], splits.Transfer.Labels);
        Assert.Equal(2, splits.ClassCount);
    }

    [Fact]
    public void A_csv_transfer_file_with_other_columns_than_train_names_the_file_and_both_column_lists()
    {
        string train = _files.WriteText("train.csv", "a,b,label\n1,2,0\n3,4,1\n");
        string test = _files.WriteText("test.csv", "a,b,label\n5,6,0\n");
        string transfer = _files.WriteText("wide.csv", "a,b,c\n1,2,3\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), Transfer = DataFiles.Csv(transfer) };

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(options));

        Assert.Equal(transfer, error.FilePath);
        Assert.Equal("wide.csv:1: expected the 2 feature columns of the training data in the same order (a, b), optionally with the label column 'label', found 3 columns (a, b, c).", error.Message);
    }

    [Fact]
    public void Transfer_samples_of_another_shape_than_train_name_the_file_and_both_shapes()
    {
        string images = _files.WriteIdx("transfer-3x3.idx", 0x08, [1, 3, 3], new byte[9]);

        var error = Assert.Throws<DataFormatException>(() => DataSetLoader.Load(TinyIdx(seed: 0) with { Transfer = new DataFiles(Features: images) }));

        Assert.Equal(images, error.FilePath);
        Assert.Equal("transfer-3x3.idx: expected samples of shape [1, 2, 2] as in train-images.idx, found [1, 3, 3].", error.Message);
    }

    [Fact]
    public void An_idx_labels_file_for_transfer_data_is_rejected()
    {
        DataSetOptions options = TinyIdx(seed: 0);

        var error = Assert.Throws<DataOptionException>(() => DataSetLoader.Load(options with { Transfer = DataFiles.Idx(TransferImages(2), options.Train.Labels!) }));

        Assert.Equal("data.transfer.labels", error.Option);
        Assert.Equal("data.transfer.labels: transfer data has no labels; expected only \"features\" (an IDX images file), found \"labels\" too.", error.Message);
    }

    [Fact]
    public void The_hash_changes_with_the_transfer_file_and_its_bytes()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string without = DataSetLoader.Load(options).ContentHash;
        DataSetOptions with = options with { Transfer = new DataFiles(Features: TransferImages(2)) };
        string before = DataSetLoader.Load(with).ContentHash;
        byte[] bytes = File.ReadAllBytes(with.Transfer!.Features!);
        bytes[^1] ^= 1;
        File.WriteAllBytes(with.Transfer.Features!, bytes);

        string after = DataSetLoader.Load(with).ContentHash;

        Assert.NotEqual(without, before);
        Assert.NotEqual(before, after);
    }

    /// <summary>An IDX file of <paramref name="count"/> 2x2 images with pixel values 100, 101, ...</summary>
    private string TransferImages(int count) =>
        _files.WriteIdx("transfer-images.idx", 0x08, [count, 2, 2], [.. Enumerable.Range(0, 4 * count).Select(i => (byte)(100 + i))]);
}

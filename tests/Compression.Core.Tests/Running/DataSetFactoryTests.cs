using Compression.Abstractions.Data;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Data.Loading;

namespace Compression.Core.Tests.Running;

public sealed partial class DataSetFactoryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public DataSetFactoryTests()
    {
        _folder.Write("train.csv", "x,label\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")) + "\n");
        _folder.Write("test.csv", "x,label\n1,0\n2,1\n");
        _folder.Write("unlabelled.csv", "x\n100\n101\n102\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Transfer_and_labeled_count_reach_the_loader_and_the_teacher_keeps_every_label()
    {
        LoadedDataSet data = DataSetFactory.Load(Config("""
            "transfer": { "path": "unlabelled.csv" },
            "labeledCount": 6
            """));

        Assert.Equal(6, data.Splits.Train.Count);
        Assert.Equal(18, data.TeacherTrain.Count);
        Assert.Equal(12 + 3, data.Splits.Transfer.Count);
        Assert.Equal([100f, 101f, 102f], data.Splits.Transfer.Features[^3..]);
        Assert.All(data.Splits.Transfer.Labels, label => Assert.Equal(LabelledData.NoLabel, label));
    }

    [Fact]
    public void A_labeled_count_above_the_training_rows_is_CMP_invalid_value_at_its_value()
    {
        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(Config("""
            "labeledCount": 19
            """)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal("data.labeledCount: expected a value between 1 and 18 (the training rows left after the validation split), found 19.", finding.Message);
        Assert.Equal((8, 17), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_labeled_fraction_that_keeps_fewer_labels_than_classes_is_CMP1015_at_its_value()
    {
        // 0.05 of 18 training rows keeps 1 labelled row; the data has 2 classes.
        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(Config("""
            "labeledFraction": 0.05
            """)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.FewerLabelsThanClasses, finding.Code);
        Assert.Equal("data.labeledFraction: 0.05 of the 18 training rows keeps 1 labelled, fewer than the 2 classes: expected a fraction that keeps at least one labelled sample per class (or data.labeledCount: 2).", finding.Message);
        Assert.Equal((8, 20), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_labeled_count_of_one_is_refused_when_the_config_is_read()
    {
        var error = Assert.Throws<CompressionException>(() => Config("""
            "labeledCount": 1
            """));

        Finding finding = Assert.Single(error.Findings);
        Assert.Contains("'data.labeledCount': must be between 2 and 2147483647: every class needs a labelled sample", finding.Message);
        Assert.Equal(8, finding.Location!.Line);
    }

    [Fact]
    public void Labeled_count_and_fraction_together_are_located_at_the_fraction()
    {
        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(Config("""
            "labeledCount": 5,
            "labeledFraction": 0.5
            """)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal(9, finding.Location!.Line);
    }

    [Fact]
    public void A_missing_transfer_file_is_data_not_found_at_its_path()
    {
        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(Config("""
            "transfer": { "path": "missing.csv" }
            """)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotFound, finding.Code);
        Assert.Equal($"data file not found: {Path.Combine(_folder.Path, "missing.csv")}", finding.Message);
        Assert.Equal((8, 23), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_missing_file_where_a_Debian_data_set_installs_says_which_package_to_install()
    {
        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(Config("""
            "transfer": { "path": "/usr/share/datasets/no-such-set-9f2c/unlabelled.csv" }
            """)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotFound, finding.Code);
        Assert.Equal(
            "data file not found: /usr/share/datasets/no-such-set-9f2c/unlabelled.csv; /usr/share/datasets/ is where Debian's data set packages install their files: apt-get install dataset-no-such-set-9f2c",
            finding.Message);
        Assert.Equal(8, finding.Location!.Line);
    }

    [Fact]
    public void An_idx_labels_file_for_transfer_data_is_an_invalid_value_at_the_field()
    {
        string path = _folder.Write("compression.json", """
            {
              "data": {
                "format": "idx",
                "train": { "features": "train.csv", "labels": "train.csv" },
                "test": { "features": "test.csv", "labels": "test.csv" },
                "transfer": { "features": "unlabelled.csv", "labels": "train.csv" }
              }
            }
            """);

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.Load(ConfigLoader.Load(path)));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal("'data.transfer.labels': transfer data has no labels; give only \"features\" (an IDX images file)", finding.Message);
        Assert.Equal(6, finding.Location!.Line);
    }

    [Fact]
    public void The_transfer_file_is_an_input_of_the_build()
    {
        LoadedConfig loaded = Config("""
            "transfer": { "path": "unlabelled.csv" }
            """);

        Assert.Contains(Path.Combine(_folder.Path, "unlabelled.csv"), ConfigInputs.Files(loaded));
    }

    /// <summary>A CSV config whose <c>data</c> section ends with <paramref name="extra"/> (which starts on line 8).</summary>
    private LoadedConfig Config(string extra)
    {
        string path = _folder.Write("compression.json", $$"""
            {
              "data": {
                "format": "csv",
                "train": { "path": "train.csv" },
                "test": { "path": "test.csv" },
                "validationFraction": 0.1,
                "normalization": "none",
            {{extra}}
              }
            }
            """);
        return ConfigLoader.Load(path);
    }
}

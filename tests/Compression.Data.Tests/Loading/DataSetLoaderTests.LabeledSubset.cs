using Compression.Abstractions.Data;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>data.labeledCount and data.labeledFraction: a labelled subset of train, the rest as transfer data.</summary>
public sealed partial class DataSetLoaderTests
{
    [Fact]
    public void Labeled_count_keeps_exactly_that_many_labels_in_file_order_and_validation_keeps_all_of_its_own()
    {
        DataSetOptions options = Imbalanced(seed: 7);
        LoadedDataSet all = DataSetLoader.LoadDataSet(options);

        LoadedDataSet subset = DataSetLoader.LoadDataSet(options with { LabeledCount = 50 });

        Assert.Equal(180, all.Splits.Train.Count);
        Assert.Equal(50, subset.Splits.Train.Count);
        Assert.Equal(130, subset.Splits.Transfer.Count);
        Assert.Equal(all.Splits.Validation.Features, subset.Splits.Validation.Features);
        Assert.Equal(all.Splits.Validation.Labels, subset.Splits.Validation.Labels);
        float[] rows = subset.Splits.Train.Features;
        Assert.Equal(rows.Order(), rows);
        Assert.Equal(rows.Select(x => ImbalancedLabel((int)x)), subset.Splits.Train.Labels);
    }

    [Fact]
    public void Hidden_rows_are_transfer_data_without_labels_and_the_teacher_gets_every_training_row_with_its_label()
    {
        LoadedDataSet subset = DataSetLoader.LoadDataSet(Imbalanced(seed: 7) with { LabeledCount = 50 });

        LabelledData teacher = subset.TeacherTrain;
        Assert.Equal(180, teacher.Count);
        Assert.Equal(teacher.Features.Select(x => ImbalancedLabel((int)x)), teacher.Labels);
        Assert.All(subset.Splits.Transfer.Labels, label => Assert.Equal(LabelledData.NoLabel, label));
        float[] hidden = subset.Splits.Transfer.Features;
        Assert.Equal(hidden.Order(), hidden);
        Assert.Empty(hidden.Intersect(subset.Splits.Train.Features));
        Assert.Equal(teacher.Features, subset.Splits.Train.Features.Concat(hidden).Order());
    }

    [Fact]
    public void Without_labeled_count_train_is_every_training_row_and_there_is_no_transfer_data()
    {
        LoadedDataSet loaded = DataSetLoader.LoadDataSet(Imbalanced(seed: 7));

        Assert.Same(loaded.TeacherTrain, loaded.Splits.Train);
        Assert.Equal(0, loaded.Splits.Transfer.Count);
        Assert.Equal([1], loaded.Splits.Transfer.SampleShape);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(20)]
    [InlineData(7)]
    public void The_labelled_subset_is_stratified_within_one_row_of_each_class_share(int count)
    {
        LoadedDataSet subset = DataSetLoader.LoadDataSet(Imbalanced(seed: 3) with { LabeledCount = count });

        int[] all = subset.TeacherTrain.Labels;
        int[] kept = subset.Splits.Train.Labels;
        Assert.Equal(4, all.Distinct().Count());
        foreach (int label in all.Distinct())
        {
            double share = (double)count * all.Count(l => l == label) / all.Length;
            Assert.InRange(kept.Count(l => l == label), Math.Max(1, share - 1), share + 1);
        }
    }

    [Fact]
    public void Every_class_keeps_a_label_when_the_count_is_the_number_of_classes()
    {
        LoadedDataSet subset = DataSetLoader.LoadDataSet(Imbalanced(seed: 3) with { LabeledCount = 4 });

        Assert.Equal([0, 1, 2, 3], subset.Splits.Train.Labels.Order());
    }

    [Fact]
    public void The_same_seed_keeps_the_same_labels_and_another_seed_other_ones()
    {
        DataSetOptions options = Imbalanced(seed: 11) with { LabeledCount = 30 };

        float[] first = DataSetLoader.Load(options).Train.Features;
        float[] again = DataSetLoader.Load(options).Train.Features;
        float[] other = DataSetLoader.Load(options with { Seed = 12 }).Train.Features;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Labeled_fraction_keeps_the_rounded_share_of_the_training_rows()
    {
        DataSplits splits = DataSetLoader.Load(Imbalanced(seed: 7) with { LabeledFraction = 0.25 });

        Assert.Equal(45, splits.Train.Count);
        Assert.Equal(135, splits.Transfer.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-3)]
    public void A_labeled_count_outside_the_training_rows_states_the_range(int count)
    {
        var error = Assert.Throws<DataOptionException>(() => DataSetLoader.Load(TinyIdx(seed: 0) with { LabeledCount = count }));

        Assert.Equal("data.labeledCount", error.Option);
        Assert.Equal($"data.labeledCount: expected a value between 1 and 7 (the training rows left after the validation split), found {count}.", error.Message);
    }

    [Fact]
    public void A_labeled_count_below_the_number_of_classes_names_the_classes()
    {
        var error = Assert.Throws<FewerLabelsThanClassesException>(() => DataSetLoader.Load(Imbalanced(seed: 3) with { LabeledCount = 3 }));

        Assert.Equal("data.labeledCount", error.Option);
        Assert.Equal("data.labeledCount: expected at least 4 (one labelled sample per class), found 3.", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_labeled_fraction_outside_zero_to_one_states_the_range(double fraction)
    {
        var error = Assert.Throws<DataOptionException>(() => DataSetLoader.Load(TinyIdx(seed: 0) with { LabeledFraction = fraction }));

        Assert.Equal("data.labeledFraction", error.Option);
        Assert.StartsWith("data.labeledFraction: expected a value in (0, 1], found ", error.Message);
    }

    [Fact]
    public void A_labeled_fraction_of_one_keeps_every_label()
    {
        DataSplits splits = DataSetLoader.Load(TinyIdx(seed: 0) with { LabeledFraction = 1 });

        Assert.Equal(7, splits.Train.Count);
        Assert.Equal(0, splits.Transfer.Count);
    }

    [Fact]
    public void Labeled_count_and_labeled_fraction_together_are_rejected()
    {
        var error = Assert.Throws<DataOptionException>(() => DataSetLoader.Load(TinyIdx(seed: 0) with { LabeledCount = 3, LabeledFraction = 0.5 }));

        Assert.Equal("data.labeledFraction: expected at most one of data.labeledCount and data.labeledFraction, found both.", error.Message);
    }

    [Fact]
    public void The_hash_changes_with_the_labeled_count_and_fraction()
    {
        DataSetOptions options = TinyIdx(seed: 0);
        string hash = DataSetLoader.Load(options).ContentHash;
        string three = DataSetLoader.Load(options with { LabeledCount = 3 }).ContentHash;
        string four = DataSetLoader.Load(options with { LabeledCount = 4 }).ContentHash;
        string half = DataSetLoader.Load(options with { LabeledFraction = 0.5 }).ContentHash;

        Assert.Equal(4, new[] { hash, three, four, half }.Distinct().Count());
        Assert.Equal(three, DataSetLoader.Load(options with { LabeledCount = 3 }).ContentHash);
    }

    /// <summary>The class of row x of <see cref="Imbalanced"/>: 100 rows of 0, 60 of 1, 30 of 2, 10 of 3.</summary>
    private static int ImbalancedLabel(int x) => x switch
    {
        < 100 => 0,
        < 160 => 1,
        < 190 => 2,
        _ => 3,
    };

    /// <summary>200 CSV rows whose one feature is the row number (so a row can be recognised after loading), 20 held out for validation.</summary>
    private DataSetOptions Imbalanced(int seed)
    {
        var rows = Enumerable.Range(0, 200).Select(x => $"{x},{ImbalancedLabel(x)}");
        string train = _files.WriteText("imbalanced.csv", "x,label\n" + string.Join("\n", rows) + "\n");
        string test = _files.WriteText("imbalanced-test.csv", "x,label\n1,0\n2,1\n3,2\n4,3\n");
        return new DataSetOptions
        {
            Format = "csv",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            Normalization = "none",
            ValidationFraction = 0.1,
            Seed = seed,
        };
    }
}

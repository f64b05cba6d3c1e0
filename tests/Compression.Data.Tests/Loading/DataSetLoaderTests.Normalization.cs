using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>Issue 12: the loader records the normalisation it applied, so the shipped model can repeat it in its graph.</summary>
public sealed partial class DataSetLoaderTests
{
    [Fact]
    public void The_loader_records_the_scale_it_applied_and_applying_it_to_raw_features_gives_the_loaded_ones()
    {
        LoadedDataSet loaded = DataSetLoader.LoadDataSet(TinyIdx(seed: 1) with { ValidationFraction = 0, Scale = 1.0 / 255 });
        float[] raw = [200f, 201f, 202f, 203f];

        float[] normalized = raw.ToArray();
        loaded.Normalization.Apply(normalized);

        Assert.Equal("scale", loaded.Normalization.Kind);
        Assert.Equal((float)(1.0 / 255), loaded.Normalization.Scale);
        Assert.Equal(loaded.Splits.Test.Features, normalized);
        Assert.All(raw.Zip(loaded.Normalization.Undo(normalized)), p => Assert.Equal(p.First, p.Second, 1e-4f));
        Assert.Equal("raw features; the graph multiplies them by 0.003921569", loaded.Normalization.Describe());
    }

    [Fact]
    public void The_loader_records_the_train_split_mean_and_deviation_it_standardised_with()
    {
        double[] xs = [.. Enumerable.Range(0, 40).Select(i => (double)(i * i))];
        double[] ys = [.. Enumerable.Range(0, 40).Select(i => (double)(i % 7))];
        string train = _files.WriteText("train.csv", "x,y,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{xs[i]},{ys[i]},{i % 3}")));
        string test = _files.WriteText("test.csv", "x,y,label\n1000,3,0\n7,-2,1\n");
        var options = new DataSetOptions { Format = "csv", Train = DataFiles.Csv(train), Test = DataFiles.Csv(test), ValidationFraction = 0, Normalization = "standardize" };

        LoadedDataSet loaded = DataSetLoader.LoadDataSet(options);
        InputNormalization recorded = loaded.Normalization;
        float[] raw = [1000f, 3f, 7f, -2f];
        float[] normalized = raw.ToArray();
        recorded.Apply(normalized);

        static double Std(double[] v) => Math.Sqrt(v.Average(x => (x - v.Average()) * (x - v.Average())));
        Assert.Equal("standardize", recorded.Kind);
        Assert.Equal([513.5f, (float)ys.Average()], recorded.Mean);
        Assert.Equal([(float)Std(xs), (float)Std(ys)], recorded.Std);
        Assert.Equal(loaded.Splits.Test.Features, normalized);
        Assert.All(raw.Zip(recorded.Undo(normalized)), p => Assert.Equal(p.First, p.Second, 1e-3f));
        Assert.Equal("raw features; the graph subtracts each feature's train-split mean and divides by its standard deviation (2 features)", recorded.Describe());
    }

    [Fact]
    public void Without_normalisation_the_loader_records_none_and_applying_it_changes_nothing()
    {
        LoadedDataSet loaded = DataSetLoader.LoadDataSet(TinyIdx(seed: 1) with { Normalization = "none" });
        float[] features = [200f, 201f];

        loaded.Normalization.Apply(features);

        Assert.Equal("none", loaded.Normalization.Kind);
        Assert.Equal([200f, 201f], features);
        Assert.Equal("raw features, as in the data files (no normalisation)", loaded.Normalization.Describe());
    }
}

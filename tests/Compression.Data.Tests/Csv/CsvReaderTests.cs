using Compression.Data.Csv;

namespace Compression.Data.Tests.Csv;

public sealed partial class CsvReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Integer_labels_are_read_with_invariant_numbers_wherever_the_label_column_is()
    {
        string path = _files.WriteText("iris.csv", "a, label ,b\n1.5,2,-3e2\n\n0.25,0,4\n");

        CsvData data = CsvReader.Read(path, CsvLabelColumn.Named("LABEL"));

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([1.5f, -300f, 0.25f, 4f], data.Features);
        Assert.Equal([2, 0], data.Labels);
        Assert.Null(data.ClassNames);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void Class_names_become_indices_in_sorted_order()
    {
        string path = _files.WriteText("fruit.csv", "weight,kind\n1,pear\n2,\"apple, red\"\n3,fig\n4,pear\n");

        CsvData data = CsvReader.Read(path, CsvLabelColumn.Named("kind"));

        Assert.Equal(["apple, red", "fig", "pear"], data.ClassNames);
        Assert.Equal([2, 0, 1, 2], data.Labels);
    }

    [Fact]
    public void Train_and_test_share_one_class_name_encoding()
    {
        string train = _files.WriteText("train.csv", "x,y\n1,b\n2,c\n");
        string test = _files.WriteText("test.csv", "x,y\n1,a\n");

        IReadOnlyList<CsvData> both = CsvReader.ReadAll([train, test], CsvLabelColumn.Named("y"));

        Assert.Equal(["a", "b", "c"], both[0].ClassNames);
        Assert.Equal([1, 2], both[0].Labels);
        Assert.Equal([0], both[1].Labels);
    }

    [Fact]
    public void Features_without_a_label_column_are_read_by_the_expected_names()
    {
        string path = _files.WriteText("unlabelled.csv", "A,b\n1,2\n3,4.5\n");

        CsvFeatures data = CsvReader.ReadFeatures(path, ["a", "b"], CsvLabelColumn.Named("label"));

        Assert.Equal(["A", "b"], data.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4.5f], data.Features);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void Reading_features_only_drops_a_label_column_chosen_by_position_without_reading_it()
    {
        string path = _files.WriteText("labelled.csv", "target,f1,f2\n,10,20\nnot-a-number,30,40\n");

        CsvFeatures data = CsvReader.ReadFeatures(path, ["f1", "f2"], CsvLabelColumn.At(0));

        Assert.Equal([10f, 20f, 30f, 40f], data.Features);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void Reading_features_only_reports_a_short_row_against_the_header_without_a_label()
    {
        string path = _files.WriteText("short.csv", "a,b\n1,2\n3\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.ReadFeatures(path, ["a", "b"], CsvLabelColumn.Named("label")));

        Assert.Equal("short.csv:3: expected 2 columns as in the header (2 features), found 1.", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void The_label_column_can_be_chosen_by_position()
    {
        string path = _files.WriteText("data.csv", "target,f1,f2\n1,10,20\n0,30,40\n");

        CsvData data = CsvReader.Read(path, CsvLabelColumn.At(0));

        Assert.Equal([1, 0], data.Labels);
        Assert.Equal([10f, 20f, 30f, 40f], data.Features);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_columns_names_file_and_line()
    {
        string path = _files.WriteText("bad.csv", "a,b,label\n1,2,0\n3,1\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.Line);
        Assert.Equal("bad.csv:3: expected 3 columns as in the header (2 features and the label), found 2.", error.Message);
    }

    [Fact]
    public void A_non_numeric_feature_names_file_line_and_column()
    {
        string path = _files.WriteText("bad.csv", "a,b,label\n1,2,0\n3,1;5,1\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(3, error.Line);
        Assert.Equal(2, error.Column);
        Assert.Equal("bad.csv:3, column 2 ('b'): expected a finite number (invariant culture, e.g. 1.5), found '1;5'.", error.Message);
    }

    [Fact]
    public void Non_finite_numbers_are_rejected()
    {
        string path = _files.WriteText("nan.csv", "a,label\nNaN,0\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Contains("found 'NaN'", error.Message);
    }

    [Fact]
    public void A_missing_label_column_lists_the_columns_found()
    {
        string path = _files.WriteText("nolabel.csv", "a,b,class\n1,2,0\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(1, error.Line);
        Assert.Equal("nolabel.csv:1: expected a label column named 'label' in the header, found columns 'a', 'b', 'class'.", error.Message);
    }

    [Fact]
    public void A_file_without_a_header_row_is_rejected()
    {
        string path = _files.WriteText("noheader.csv", "1,2,0\n3,4,1\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.StartsWith("noheader.csv:1: expected a header row naming the columns, found only numbers", error.Message);
    }

    [Fact]
    public void Negative_integer_labels_are_rejected_at_their_line()
    {
        string path = _files.WriteText("neg.csv", "a,label\n1,0\n2,-1\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(3, error.Line);
        Assert.Equal(2, error.Column);
        Assert.Contains("expected an integer class label of 0 or more", error.Message);
    }

    [Fact]
    public void An_unclosed_quote_is_reported()
    {
        string path = _files.WriteText("quote.csv", "a,label\n1,\"oops\n");

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read(path, CsvLabelColumn.Named("label")));

        Assert.Equal(2, error.Line);
        Assert.Contains("expected a closing quote", error.Message);
    }
}

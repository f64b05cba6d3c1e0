using Compression.Abstractions.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Plugins.Text;

namespace Compression.Plugins.Tests.Text;

/// <summary>Query/document pairs for the embedding task: unlabelled texts, and a test split of queries then documents.</summary>
public sealed partial class TextFormatTests
{
    [Fact]
    public void Pairs_give_unlabelled_train_and_a_test_split_of_the_queries_then_their_documents()
    {
        Write("train.csv", "text\nfirst text\nsecond text\nthird text\n");
        Write("test.jsonl", "{\"query\": \"cats\", \"document\": \"A cat sat on the mat.\"}\n{\"query\": \"rain\", \"document\": \"It rained all day.\"}\n");
        TextSettings settings = Settings(12);
        settings.QueryColumn = "query";
        settings.DocumentColumn = "document";
        string cache = At("cache");

        DataFormatContent content = Read(settings, "train.csv", "test.jsonl", cache: cache);
        DataFormatContent again = Read(settings, "train.csv", "test.jsonl", cache: cache);

        Assert.True(content.Unlabelled);
        Assert.All(content.Train.Labels, label => Assert.Equal(LabelledData.NoLabel, label));
        Assert.Equal(4, content.Test.Labels.Length);
        Assert.Equal([.. Encode("cats", 12), .. Encode("rain", 12), .. Encode("A cat sat on the mat.", 12), .. Encode("It rained all day.", 12)], content.Test.Features);
        Assert.Equal(content.Test.Features, again.Test.Features); // the two columns of one file are cached apart
    }

    [Fact]
    public void Pairs_load_with_no_classes_and_labelled_counts_are_refused()
    {
        Write("train.csv", "text\na\nb\nc\nd\n");
        Write("test.csv", "query,document\nq,d\n");
        var settings = new TextSettings { Vocab = MiniLMVocabulary.FilePath, MaxLength = 8, QueryColumn = "query", DocumentColumn = "document" };

        DataSplits splits = DataSetLoader.Load(Options(settings, "train.csv", "test.csv") with { ValidationFraction = 0.25 });
        var refused = Assert.Throws<DataOptionException>(() => DataSetLoader.Load(Options(settings, "train.csv", "test.csv") with { ValidationFraction = 0.25, LabeledCount = 2 }));

        Assert.Equal(0, splits.ClassCount);
        Assert.Equal((3, 1, 2), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal("data.labeledCount", refused.Option);
    }

    [Fact]
    public void A_query_column_without_a_document_column_is_a_settings_error()
    {
        var settings = new TextSettings { Vocab = "vocab.txt", QueryColumn = "query" };

        var errors = settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)).ToList();

        var error = Assert.Single(errors);
        Assert.Equal([nameof(TextSettings.DocumentColumn)], error.MemberNames);
    }
}

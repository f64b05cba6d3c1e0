using Compression.Abstractions.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Plugins.Text;

namespace Compression.Plugins.Tests.Text;

/// <summary>The text format: CSV and JSON Lines read alike, labels, transfer data, the sample layout, truncation reports, errors at their line, the token cache.</summary>
public sealed partial class TextFormatTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));

    public TextFormatTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Csv_with_quoted_commas_quotes_and_line_breaks_reads_as_the_same_jsonl()
    {
        Write("train.csv", "text,label\n\"Hello, world!\",pos\n\"She said \"\"no\"\"\nand left.\",neg\nplain text here,pos\n");
        Write("train.jsonl", "{\"text\": \"Hello, world!\", \"label\": \"pos\"}\n{\"text\": \"She said \\\"no\\\"\\nand left.\", \"label\": \"neg\"}\n\n{\"label\": \"pos\", \"text\": \"plain text here\"}\n");
        Write("test.csv", "label,text\npos,good\r\nneg,bad\r\n");
        Write("test.jsonl", "{\"text\": \"good\", \"label\": \"pos\"}\r\n{\"text\": \"bad\", \"label\": \"neg\"}\r\n");

        DataFormatContent csv = Read(Settings(16), "train.csv", "test.csv");
        DataFormatContent jsonl = Read(Settings(16), "train.jsonl", "test.jsonl");

        Assert.Equal([2, 16], csv.Train.SampleShape);
        Assert.Equal(3 * 32, csv.Train.Features.Length);
        Assert.Equal(csv.Train.Features, jsonl.Train.Features);
        Assert.Equal(csv.Test.Features, jsonl.Test.Features);
        Assert.Equal([1, 0, 1], csv.Train.Labels);
        Assert.Equal(csv.Train.Labels, jsonl.Train.Labels);
        Assert.Equal(["neg", "pos"], csv.ClassNames);
        Assert.Equal(Encode("She said \"no\"\nand left.", 16), csv.Train.Features[32..64]);
    }

    [Fact]
    public void Class_names_are_numbered_in_ordinal_order_over_train_and_test_and_integer_labels_are_indices()
    {
        Write("train.csv", "text,label\na,b-class\nb,a-class\nc,B-class\n");
        Write("test.csv", "text,label\nd,c-class\n");
        Write("train.jsonl", "{\"text\": \"a\", \"label\": 2}\n{\"text\": \"b\", \"label\": 0}\n");
        Write("test.jsonl", "{\"text\": \"c\", \"label\": \"1\"}\n");

        DataFormatContent names = Read(Settings(8), "train.csv", "test.csv");
        DataFormatContent indices = Read(Settings(8), "train.jsonl", "test.jsonl");

        Assert.Equal(["B-class", "a-class", "b-class", "c-class"], names.ClassNames);
        Assert.Equal([2, 1, 0], names.Train.Labels);
        Assert.Equal([3], names.Test.Labels);
        Assert.Null(indices.ClassNames);
        Assert.Equal([2, 0], indices.Train.Labels);
        Assert.Equal([1], indices.Test.Labels);
    }

    [Fact]
    public void Other_column_names_are_read_and_a_transfer_file_needs_no_label_column()
    {
        Write("train.csv", "id,sentence,topic\n1,hello there,x\n2,general kenobi,y\n");
        Write("test.csv", "sentence,topic\nhello,x\n");
        Write("transfer.jsonl", "{\"sentence\": \"unlabelled text\"}\n{\"sentence\": \"more of it\", \"topic\": \"ignored\"}\n");
        var settings = new TextSettings { Vocab = MiniLMVocabulary.FilePath, TextColumn = "sentence", LabelColumn = "topic", MaxLength = 6 };

        DataFormatContent content = Read(settings, "train.csv", "test.csv", transfer: "transfer.jsonl");

        Assert.Equal(Encode("hello there", 6), content.Train.Features[..12]);
        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel], content.Transfer!.Labels);
        Assert.Equal(Encode("unlabelled text", 6).Concat(Encode("more of it", 6)), content.Transfer.Features);
    }

    [Fact]
    public void Truncated_texts_are_counted_on_the_progress_lines_with_the_first_ones_line()
    {
        Write("train.csv", "text,label\nshort,a\nthis text has more than six tokens in it,b\n\"one more text that is\nmuch too long\",a\n");
        Write("test.csv", "text,label\nfits,b\n");
        var lines = new Lines();

        DataFormatContent content = Read(Settings(6), "train.csv", "test.csv", progress: lines);

        Assert.Contains("data: train: 2 of 3 texts are longer than 6 tokens (with [CLS] and [SEP]) and were truncated to their first 4 tokens (first: train.csv:3)", lines.All);
        Assert.DoesNotContain(lines.All, line => line.StartsWith("data: test: ", StringComparison.Ordinal) && line.Contains("truncated", StringComparison.Ordinal));
        Assert.Equal([1, 1, 1, 1, 1, 1], content.Train.Features[18..24]);
    }

    [Fact]
    public void Loaded_through_the_data_set_loader_the_samples_keep_their_ids_and_a_changed_vocabulary_changes_the_content_hash()
    {
        Write("train.csv", "text,label\nhello,a\nworld,b\nhello world,a\nbye,b\n");
        Write("test.csv", "text,label\nhello,a\nbye,b\n");
        string vocab = Path.Combine(_root, "vocab.txt");
        File.WriteAllBytes(vocab, MiniLMVocabulary.Bytes);
        var settings = new TextSettings { Vocab = "vocab.txt", MaxLength = 4 };

        LoadedDataSet first = DataSetLoader.LoadDataSet(Options(settings, "train.csv", "test.csv") with { BaseDirectory = _root });
        File.AppendAllText(vocab, "[extra]\n");
        LoadedDataSet second = DataSetLoader.LoadDataSet(Options(settings, "train.csv", "test.csv") with { BaseDirectory = _root });

        Assert.Equal([101, 7592, 102, 0, 1, 1, 1, 0], first.Splits.Test.Features[..8]);
        Assert.Equal(2, first.Splits.ClassCount);
        Assert.NotEqual(first.Splits.ContentHash, second.Splits.ContentHash);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_root, name), text);

    private string At(string name) => Path.Combine(_root, name);

    private static TextSettings Settings(int maxLength) => new() { Vocab = MiniLMVocabulary.FilePath, MaxLength = maxLength };

    private static float[] Encode(string text, int maxLength)
    {
        var sample = new float[2 * maxLength];
        new WordPieceEncoder(WordPieceVocabulary.Load(MiniLMVocabulary.FilePath, lowercase: true), maxLength).Encode(text, sample);
        return sample;
    }

    private DataSetOptions Options(TextSettings settings, string train, string test, string? transfer = null, string? cache = null, IProgress<string>? progress = null) => new()
    {
        Format = "text",
        Formats = new DataFormatRegistry([new TextFormat()]),
        FormatSettings = settings,
        Train = DataFiles.Csv(At(train)),
        Test = DataFiles.Csv(At(test)),
        Transfer = transfer is null ? null : DataFiles.Csv(At(transfer)),
        Normalization = "none",
        ValidationFraction = 0,
        CacheFolder = cache,
        Progress = progress,
    };

    private DataFormatContent Read(TextSettings settings, string train, string test, string? transfer = null, string? cache = null, IProgress<string>? progress = null) =>
        new TextFormat().Read(Options(settings, train, test, transfer, cache, progress), CancellationToken.None);

    /// <summary>Progress lines, collected as they are reported.</summary>
    private sealed class Lines : IProgress<string>
    {
        public List<string> All { get; } = [];

        public void Report(string value)
        {
            lock (All)
            {
                All.Add(value);
            }
        }
    }
}

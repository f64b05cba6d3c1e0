using Compression.Data.Formats;
using Compression.Plugins.Text;

namespace Compression.Plugins.Tests.Text;

public sealed partial class TextFormatTests
{
    [Fact]
    public void A_second_read_comes_from_the_token_cache_and_a_damaged_entry_is_rebuilt()
    {
        Write("train.csv", "text,label\nhello there,a\nthis one is too long for four,b\n");
        Write("test.jsonl", "{\"text\": \"hello\", \"label\": \"b\"}\n");
        string cache = At("cache");
        var first = new Lines();
        var second = new Lines();
        var third = new Lines();

        DataFormatContent tokenised = Read(Settings(4), "train.csv", "test.jsonl", cache: cache, progress: first);
        string[] files = Directory.GetFiles(Path.Combine(cache, "text"));
        DateTime written = File.GetLastWriteTimeUtc(files[0]);
        DataFormatContent cached = Read(Settings(4), "train.csv", "test.jsonl", cache: cache, progress: second);
        string damaged = files.Single(file => new FileInfo(file).Length == files.Max(f => new FileInfo(f).Length));
        byte[] bytes = File.ReadAllBytes(damaged);
        bytes[^40] ^= 0x40;
        File.WriteAllBytes(damaged, bytes);
        DataFormatContent rebuilt = Read(Settings(4), "train.csv", "test.jsonl", cache: cache, progress: third);

        Assert.Equal(2, files.Length);
        Assert.Contains("data: train: tokenising 2 texts", first.All);
        Assert.Equal(
            ["data: train: 2 texts read from the token cache",
             "data: train: 1 of 2 texts are longer than 4 tokens (with [CLS] and [SEP]) and were truncated to their first 2 tokens (first: train.csv:3)",
             "data: test: 1 texts read from the token cache"],
            second.All);
        Assert.Equal(written, File.GetLastWriteTimeUtc(files[0]));
        Assert.Equal(tokenised.Train.Features, cached.Train.Features);
        Assert.Equal(tokenised.Test.Features, cached.Test.Features);
        Assert.Single(third.All, line => line.EndsWith("tokenising 2 texts", StringComparison.Ordinal));
        Assert.Single(third.All, line => line.EndsWith("read from the token cache", StringComparison.Ordinal));
        Assert.Equal(tokenised.Train.Features, rebuilt.Train.Features);
        Assert.NotEqual(bytes, File.ReadAllBytes(damaged));
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, "text"), "*.tmp"));
    }

    [Fact]
    public void Changed_settings_vocabulary_or_file_bytes_miss_the_cache()
    {
        Write("train.csv", "text,label\nhello there,a\nbye,b\n");
        Write("test.csv", "text,label\ngeneral kenobi,b\n");
        string vocab = At("vocab.txt");
        File.WriteAllBytes(vocab, MiniLMVocabulary.Bytes);
        string cache = At("cache");
        Read(new TextSettings { Vocab = vocab, MaxLength = 8 }, "train.csv", "test.csv", cache: cache);
        var maxLength = new Lines();
        var vocabulary = new Lines();
        var bytes = new Lines();
        var label = new Lines();

        Read(new TextSettings { Vocab = vocab, MaxLength = 6 }, "train.csv", "test.csv", cache: cache, progress: maxLength);
        File.AppendAllText(vocab, "[extra]\n");
        Read(new TextSettings { Vocab = vocab, MaxLength = 6 }, "train.csv", "test.csv", cache: cache, progress: vocabulary);
        Write("test.csv", "text,label\ngeneral grievous,b\n");
        DataFormatContent changed = Read(new TextSettings { Vocab = vocab, MaxLength = 6 }, "train.csv", "test.csv", cache: cache, progress: bytes);
        Write("train.csv", "text,label\nhello there,c\nbye,b\n");
        Read(new TextSettings { Vocab = vocab, MaxLength = 6 }, "train.csv", "test.csv", cache: cache, progress: label);

        Assert.Contains("data: train: tokenising 2 texts", maxLength.All);
        Assert.Contains("data: train: tokenising 2 texts", vocabulary.All);
        Assert.Contains("data: train: 2 texts read from the token cache", bytes.All);
        Assert.Contains("data: test: tokenising 1 texts", bytes.All);
        Assert.Equal(Encode("general grievous", 6), changed.Test.Features);
        // The labels are read from the file on every load; a changed file is a changed key all the same.
        Assert.Contains("data: train: tokenising 2 texts", label.All);
    }
}

using Compression.Data;
using Compression.Data.Loading;
using Compression.Plugins.Text;

namespace Compression.Plugins.Tests.Text;

public sealed partial class TextFormatTests
{
    [Fact]
    public void An_empty_or_whitespace_only_text_is_an_error_at_its_line_and_field()
    {
        Write("train.csv", "label,text\na,fine\nb,\"\"\n");
        Write("test.csv", "text,label\nfine,a\n");
        Write("train.jsonl", "{\"text\": \"fine\", \"label\": \"a\"}\n\n{\"text\": \" \\t \\n \", \"label\": \"b\"}\n");

        var empty = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.csv", "test.csv"));
        var blank = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.jsonl", "test.csv"));

        Assert.Equal("train.csv:3, field 2 (\"text\"): expected a text to tokenise, found an empty text", empty.Message);
        Assert.Equal((At("train.csv"), 3, 2), (empty.FilePath, empty.Line, empty.Column));
        Assert.Equal("train.jsonl:3, key \"text\": expected a text to tokenise, found only whitespace", blank.Message);
        Assert.Equal(3, blank.Line);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_at_its_line()
    {
        File.WriteAllBytes(At("train.csv"), [.. "text,label\nok,a\nbad "u8, 0xC3, 0x28, .. " text,b\n"u8]);
        Write("test.csv", "text,label\nfine,a\n");

        var error = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.csv", "test.csv"));

        Assert.Equal("train.csv:3: expected UTF-8 text, found an invalid byte sequence (0xC3) at byte 5 of the line", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void A_missing_column_names_the_columns_there_are()
    {
        Write("train.csv", "sentence,label\nhello,a\n");
        Write("test.csv", "text,label\nfine,a\n");
        Write("train.jsonl", "{\"text\": \"hello\", \"label\": \"a\"}\n{\"text\": \"hi\", \"class\": \"b\"}\n");

        var csv = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.csv", "test.csv"));
        var jsonl = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.jsonl", "test.csv"));

        Assert.Equal("train.csv:1: expected a column named \"text\" in the header, found \"sentence\", \"label\"", csv.Message);
        Assert.Equal(1, csv.Line);
        Assert.Equal("train.jsonl:2: expected a key \"label\", found the keys \"text\", \"class\"", jsonl.Message);
        Assert.Equal(2, jsonl.Line);
    }

    [Theory]
    [InlineData("true", "found a boolean")]
    [InlineData("1.5", "found the number 1.5")]
    [InlineData("null", "found null")]
    [InlineData("[1]", "found an array")]
    public void A_label_that_is_neither_a_string_nor_an_integer_is_an_error_at_its_line(string label, string found)
    {
        Write("train.jsonl", $"{{\"text\": \"hello\", \"label\": 0}}\n{{\"text\": \"hi\", \"label\": {label}}}\n");
        Write("test.jsonl", "{\"text\": \"fine\", \"label\": 1}\n");

        var error = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.jsonl", "test.jsonl"));

        Assert.Equal($"train.jsonl:2, key \"label\": expected a class label as a string (a class name) or an integer (a class index), {found}", error.Message);
    }

    [Fact]
    public void A_number_among_class_names_a_negative_index_and_an_empty_label_are_errors_at_their_line()
    {
        Write("train.jsonl", "{\"text\": \"hello\", \"label\": \"cat\"}\n{\"text\": \"hi\", \"label\": 3}\n");
        Write("test.jsonl", "{\"text\": \"fine\", \"label\": \"dog\"}\n");
        Write("train.csv", "text,label\nhello,0\nhi,-1\n");
        Write("test.csv", "text,label\nfine,1\n");
        Write("empty.csv", "text,label\nhello,a\nhi, \n");

        var mixed = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.jsonl", "test.jsonl"));
        var negative = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.csv", "test.csv"));
        var empty = Assert.Throws<DataFormatException>(() => Read(Settings(8), "empty.csv", "test.csv"));

        Assert.Equal("train.jsonl:2, key \"label\": expected every label a class name (a JSON string) or every one a class index (an integer), found the number 3 among names such as \"cat\" (train.jsonl:1)", mixed.Message);
        Assert.Equal("train.csv:3, field 2 (\"label\"): expected a class index of 0 or more (or a class name), found -1", negative.Message);
        Assert.Equal((3, 2), (negative.Line, negative.Column));
        Assert.Equal("empty.csv:3, field 2 (\"label\"): expected a class label, found an empty one", empty.Message);
    }

    [Fact]
    public void Malformed_csv_and_json_are_errors_at_their_line()
    {
        Write("test.csv", "text,label\nfine,a\n");
        Write("unclosed.csv", "text,label\nok,a\n\"never closed,b\nmore,a\n");
        Write("wide.csv", "text,label\nok,a\nhello, world,b\n");
        Write("stray.csv", "text,label\nok,a\nsay \"hi\",b\n");
        Write("broken.jsonl", "{\"text\": \"ok\", \"label\": \"a\"}\n{\"text\": \"no end\"\n");
        Write("array.jsonl", "[\"text\", \"a\"]\n");

        var unclosed = Assert.Throws<DataFormatException>(() => Read(Settings(8), "unclosed.csv", "test.csv"));
        var wide = Assert.Throws<DataFormatException>(() => Read(Settings(8), "wide.csv", "test.csv"));
        var stray = Assert.Throws<DataFormatException>(() => Read(Settings(8), "stray.csv", "test.csv"));
        var broken = Assert.Throws<DataFormatException>(() => Read(Settings(8), "broken.jsonl", "test.csv"));
        var array = Assert.Throws<DataFormatException>(() => Read(Settings(8), "array.jsonl", "test.csv"));

        Assert.Equal("unclosed.csv:3, field 1: expected a closing double quote for the field that starts here, found the end of the file", unclosed.Message);
        Assert.Equal("wide.csv:3: expected 2 fields as in the header, found 3 (a text with a comma or a line break must be in double quotes)", wide.Message);
        Assert.Equal((3, 1), (stray.Line, stray.Column));
        Assert.StartsWith("broken.jsonl:2: expected one JSON object on the line, found invalid JSON (", broken.Message, StringComparison.Ordinal);
        Assert.Equal("array.jsonl:1: expected a JSON object, found an array", array.Message);
    }

    [Fact]
    public void A_file_of_another_extension_is_named()
    {
        Write("train.txt", "hello\n");
        Write("test.csv", "text,label\nfine,a\n");

        var error = Assert.Throws<DataFormatException>(() => Read(Settings(8), "train.txt", "test.csv"));

        Assert.Equal("train.txt: expected a .csv file (a header row, then one text a row) or a .jsonl file (one JSON object a line), found a \".txt\" file", error.Message);
    }

    [Fact]
    public void A_missing_vocabulary_is_an_error_at_its_setting_and_one_without_special_tokens_names_them()
    {
        Write("train.csv", "text,label\nhello,a\n");
        Write("test.csv", "text,label\nfine,b\n");
        Write("vocab.txt", "[PAD]\n[UNK]\nhello\n[SEP]\n");

        var missing = Assert.Throws<DataOptionException>(() => Read(new TextSettings { Vocab = At("nowhere/vocab.txt") }, "train.csv", "test.csv"));
        var incomplete = Assert.Throws<DataFormatException>(() => Read(new TextSettings { Vocab = At("vocab.txt") }, "train.csv", "test.csv"));

        Assert.Equal("data.settings.vocab", missing.Option);
        Assert.Equal($"data.settings.vocab: {At("nowhere/vocab.txt")} not found: expected a WordPiece vocab.txt (one token a line), relative to compression.json", missing.Message);
        Assert.Equal(At("vocab.txt"), incomplete.FilePath);
        Assert.Equal("vocab.txt: expected a WordPiece vocabulary with the special tokens [CLS], [SEP], [UNK], [PAD], [MASK] (one token a line), found 4 tokens without [CLS], [MASK]", incomplete.Message);
    }

    [Fact]
    public void A_normalisation_other_than_none_is_refused_at_its_option()
    {
        Write("train.csv", "text,label\nhello,a\n");
        Write("test.csv", "text,label\nfine,b\n");

        var error = Assert.Throws<DataOptionException>(() => new TextFormat().Read(Options(Settings(8), "train.csv", "test.csv") with { Normalization = "scale" }, CancellationToken.None));

        Assert.Equal("data.normalization", error.Option);
        Assert.EndsWith("expected \"none\", found \"scale\"", error.Message, StringComparison.Ordinal);
    }
}

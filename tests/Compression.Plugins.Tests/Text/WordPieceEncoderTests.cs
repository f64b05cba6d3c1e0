using System.Text;
using Compression.Plugins.Text;

namespace Compression.Plugins.Tests.Text;

/// <summary>
/// Token ids against an independent WordPiece implementation (FastBertTokenizer 1.2.6, a port of
/// Hugging Face's BertTokenizer) on the all-MiniLM-L6-v2 vocabulary, and the sample layout:
/// [CLS] ... [SEP], padding, mask, truncation.
/// </summary>
public sealed class WordPieceEncoderTests
{
    /// <summary>Sentences that exercise the basic tokenizer and WordPiece: accents, punctuation, numbers, CJK, emoji, long words, case, whitespace.</summary>
    private static readonly string[] s_sentences =
    [
        "Hello, world!",
        "The quick brown fox jumps over the lazy dog.",
        "Café naïve résumé Ångström façade coöperate",
        "It's 3.14159 -- or about 22/7; isn't it?",
        "Numbers: 1,234,567 and 2024-09-22 at 10:30pm.",
        "東京は日本の首都です。",
        "中文分词测试，还有标点！",
        "I love pizza 🍕 and 🎉 parties!",
        "Supercalifragilisticexpialidocious antidisestablishmentarianism",
        "pneumonoultramicroscopicsilicovolcanoconiosis",
        "MiXeD CaSe WoRdS iN tHe SeNtEnCe",
        "   extra    whitespace\t\tand\nnew lines   ",
        "Don't stop believin' — hold on to that feelin'…",
        "e-mail: someone@example.com, url: https://example.org/path?q=1&r=2",
        "Привет, как дела?",
        "مرحبا بالعالم",
        "¿Qué tal? ¡Muy bien!",
        "C++ and C# are programming languages (mostly).",
        "unaffable tokenization preprocessing",
        "tab\tseparated\tvalues and a zero-width\u200bspace",
    ];

    public static TheoryData<string> Sentences => new(s_sentences);

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Token_ids_equal_the_reference_tokenizers_on_the_minilm_vocabulary(string sentence)
    {
        long[] expected = Reference(sentence, lowercase: true);
        float[] sample = Encode(sentence, maxLength: 128, lowercase: true);

        Assert.Equal(expected, sample.Take(expected.Length).Select(value => (long)value));
        Assert.All(sample.Skip(expected.Length).Take(128 - expected.Length), id => Assert.Equal(0, id));
    }

    [Fact]
    public void A_word_longer_than_100_characters_is_one_unknown_token_as_in_hugging_face()
    {
        // Hugging Face's WordPiece makes a word of more than max_input_chars_per_word (100) characters
        // [UNK]; FastBertTokenizer has no such limit, so the reference here is the rule itself.
        float[] sample = Encode($"before {new string('x', 150)} after", maxLength: 8, lowercase: true);
        float[] hundred = Encode($"before {new string('x', 100)} after", maxLength: 64, lowercase: true);

        // [CLS] before [UNK] after [SEP]; 2077 = "before", 2044 = "after", [UNK] = 100.
        Assert.Equal([101, 2077, 100, 2044, 102, 0, 0, 0], sample[..8]);
        Assert.NotEqual(100, hundred[2]);
    }

    [Fact]
    public void Without_lowercasing_mixed_case_words_are_tokenised_as_written_as_in_the_reference()
    {
        // Without accents: Hugging Face keeps them when it does not lower-case (strip_accents unset),
        // as this format does, while FastBertTokenizer strips them regardless.
        const string Sentence = "Paris is in France; paris is lower case. Naive";
        long[] expected = Reference(Sentence, lowercase: false);
        float[] cased = Encode(Sentence, maxLength: 64, lowercase: false);
        float[] uncased = Encode(Sentence, maxLength: 64, lowercase: true);

        Assert.Equal(expected, cased.Take(expected.Length).Select(value => (long)value));
        Assert.NotEqual(cased, uncased);
    }

    [Fact]
    public void A_sample_is_cls_tokens_sep_then_padding_with_a_mask_of_ones_then_zeros()
    {
        float[] sample = Encode("hello world", maxLength: 8, lowercase: true);

        // [CLS]=101 hello=7592 world=2088 [SEP]=102 [PAD]=0 in the BERT uncased vocabulary.
        Assert.Equal([101, 7592, 2088, 102, 0, 0, 0, 0], sample[..8]);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0], sample[8..]);
    }

    [Fact]
    public void A_long_text_keeps_its_first_tokens_ends_with_sep_and_says_it_was_truncated()
    {
        string sentence = string.Join(' ', s_sentences);
        long[] full = Reference(sentence, lowercase: true);
        var encoder = new WordPieceEncoder(Vocabulary(lowercase: true), maxLength: 10);
        var sample = new float[20];

        bool truncated = encoder.Encode(sentence, sample);
        bool shortTruncated = encoder.Encode("hello", new float[20]);

        Assert.True(full.Length > 10);
        Assert.True(truncated);
        Assert.False(shortTruncated);
        Assert.Equal(full.Take(9).Append(102), sample[..10].Select(value => (long)value));
        Assert.All(sample[10..], mask => Assert.Equal(1, mask));
    }

    [Fact]
    public void A_text_of_exactly_max_length_tokens_is_not_truncated()
    {
        var encoder = new WordPieceEncoder(Vocabulary(lowercase: true), maxLength: 4);
        var sample = new float[8];

        bool truncated = encoder.Encode("hello world", sample);

        Assert.False(truncated);
        Assert.Equal([101, 7592, 2088, 102, 1, 1, 1, 1], sample);
    }

    private static float[] Encode(string text, int maxLength, bool lowercase)
    {
        var sample = new float[2 * maxLength];
        new WordPieceEncoder(Vocabulary(lowercase), maxLength).Encode(text, sample);
        return sample;
    }

    private static WordPieceVocabulary Vocabulary(bool lowercase) => WordPieceVocabulary.Load(MiniLMVocabulary.FilePath, lowercase);

    /// <summary>The reference's ids with [CLS] and [SEP], no padding.</summary>
    private static long[] Reference(string text, bool lowercase)
    {
        var tokenizer = new FastBertTokenizer.BertTokenizer();
        using (var reader = new StreamReader(new MemoryStream(MiniLMVocabulary.Bytes), Encoding.UTF8))
        {
            tokenizer.LoadVocabulary(reader, lowercase);
        }
        var (ids, _, _) = tokenizer.Encode(text, maximumTokens: 512);
        return ids.ToArray();
    }
}

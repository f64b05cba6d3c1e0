using System.Security.Cryptography;
using Compression.Data;
using Compression.Data.Loading;
using Microsoft.ML.Tokenizers;

namespace Compression.Plugins.Text;

/// <summary>
/// A WordPiece vocab.txt (one token a line; the 0-based line number is its id), checked before use:
/// strict UTF-8, the special tokens [CLS], [SEP], [UNK], [PAD] and [MASK] present, and fewer than 2^24 tokens
/// so every id is exact as a float32 sample value. Holds its SHA-256 (a cache key takes it) and the
/// Microsoft.ML.Tokenizers BERT tokenizer built from it.
/// </summary>
internal sealed class WordPieceVocabulary
{
    /// <summary>The special tokens the format writes or the tokenizer needs (ML.Tokenizers' BertTokenizer requires [MASK] too).</summary>
    public static readonly string[] SpecialTokens = ["[CLS]", "[SEP]", "[UNK]", "[PAD]", "[MASK]"];

    /// <summary>Ids from 0 to 2^24 - 1 are integers a float32 holds exactly.</summary>
    public const int MaxTokens = 1 << 24;

    private WordPieceVocabulary(string path, int count, string sha256, BertTokenizer tokenizer)
    {
        Path = path;
        Count = count;
        Sha256 = sha256;
        Tokenizer = tokenizer;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The number of tokens.</summary>
    public int Count { get; }

    /// <summary>Hex SHA-256 of the file's bytes.</summary>
    public string Sha256 { get; }

    /// <summary>The tokenizer over this vocabulary.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>
    /// Loads the vocabulary at <paramref name="path"/> (absolute). A missing file is a
    /// <see cref="DataOptionException"/> at <c>data.settings.vocab</c>; a malformed one a
    /// <see cref="DataFormatException"/> naming it.
    /// </summary>
    public static WordPieceVocabulary Load(string path, bool lowercase)
    {
        if (!File.Exists(path))
        {
            throw new DataOptionException("data.settings.vocab",
                $"data.settings.vocab: {path} not found: expected a WordPiece vocab.txt (one token a line), relative to compression.json");
        }
        if (RegularFile.NotRegular(path) is string kind)
        {
            throw new DataOptionException("data.settings.vocab", $"data.settings.vocab: {path} is {kind}: expected a WordPiece vocab.txt file");
        }
        byte[] bytes = File.ReadAllBytes(path);
        string text = Utf8Text.Decode(path, bytes);
        string[] tokens = text.Split('\n');
        int count = tokens.Length;
        if (count > 0 && tokens[^1].Length == 0)
        {
            count--; // The line break that ends the last line starts no token.
        }
        string name = System.IO.Path.GetFileName(path);
        if (count >= MaxTokens)
        {
            throw new DataFormatException(path,
                $"{name}: {count:N0} tokens: expected fewer than {MaxTokens:N0} (2^24), so that every token id is exact in the float32 samples the pipeline holds");
        }
        var present = new HashSet<string>(tokens.Take(count).Select(token => token.TrimEnd('\r')), StringComparer.Ordinal);
        string[] missing = [.. SpecialTokens.Where(token => !present.Contains(token))];
        if (missing.Length > 0)
        {
            throw new DataFormatException(path,
                $"{name}: expected a WordPiece vocabulary with the special tokens {string.Join(", ", SpecialTokens)} (one token a line), found {count:N0} tokens without {string.Join(", ", missing)}");
        }
        var options = new BertOptions
        {
            // Hugging Face's BasicTokenizer rules (ML.Tokenizers' own drop symbols and join words across
            // tabs and line breaks); lower-casing and accent stripping are the normaliser's.
            Normalizer = new BertBasicNormalizer(lowercase),
            PreTokenizer = new BertBasicPreTokenizer(),
            LowerCaseBeforeTokenization = false,
            RemoveNonSpacingMarks = false,
            IndividuallyTokenizeCjk = false,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = false,
            UnknownToken = "[UNK]",
            ClassificationToken = "[CLS]",
            SeparatorToken = "[SEP]",
            PaddingToken = "[PAD]",
            MaskingToken = "[MASK]",
        };
        using var stream = new MemoryStream(bytes, writable: false);
        BertTokenizer tokenizer = BertTokenizer.Create(stream, options);
        return new WordPieceVocabulary(path, count, Convert.ToHexStringLower(SHA256.HashData(bytes)), tokenizer);
    }
}

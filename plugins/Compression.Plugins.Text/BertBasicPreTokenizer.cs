using System.Text;
using Microsoft.ML.Tokenizers;

namespace Compression.Plugins.Text;

/// <summary>
/// The word split of Hugging Face's BERT BasicTokenizer, on text <see cref="BertBasicNormalizer"/> has
/// cleaned: words end at whitespace, and each punctuation character (ASCII symbols and Unicode P*) is a
/// word of its own; everything else, symbols and emoji too, stays in its word for WordPiece (which
/// makes an unknown word [UNK]). Used instead of Microsoft.ML.Tokenizers' BERT pre-tokenizer
/// (<c>\w+|[\p{P}]</c> in 3.0.0), which drops every other character: "C++" became "c", an emoji nothing.
/// </summary>
internal sealed class BertBasicPreTokenizer : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private static List<(int Offset, int Length)> Split(string text)
    {
        var words = new List<(int Offset, int Length)>();
        int start = -1;
        int at = 0;
        while (at < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(at), out Rune rune, out int width);
            if (BertCharacters.IsWhitespace(rune) || BertCharacters.IsPunctuation(rune))
            {
                if (start >= 0)
                {
                    words.Add((start, at - start));
                    start = -1;
                }
                if (!BertCharacters.IsWhitespace(rune))
                {
                    words.Add((at, width));
                }
            }
            else if (start < 0)
            {
                start = at;
            }
            at += width;
        }
        if (start >= 0)
        {
            words.Add((start, text.Length - start));
        }
        return words;
    }
}

using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Compression.Plugins.Text;

/// <summary>
/// The text clean-up of Hugging Face's BERT BasicTokenizer, by code point: NUL, U+FFFD and control and
/// format characters (Unicode C*) removed, every whitespace character (tab, line breaks, Zs) a space, a
/// space either side of each CJK ideograph, NFC, and for an uncased vocabulary lower case with accents
/// stripped (NFD without non-spacing marks). Used instead of Microsoft.ML.Tokenizers' own BERT
/// normaliser, which (3.0.0) deletes tabs and line breaks rather than treating them as spaces, so the
/// words either side were joined.
/// </summary>
internal sealed class BertBasicNormalizer(bool lowercase) : Normalizer
{
    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var cleaned = new StringBuilder(original.Length + 16);
        foreach (Rune rune in original.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD)
            {
                continue;
            }
            if (BertCharacters.IsWhitespace(rune))
            {
                cleaned.Append(' ');
            }
            else if (BertCharacters.IsControl(rune))
            {
                continue;
            }
            else if (BertCharacters.IsCjk(rune))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }
        string text = cleaned.ToString().Normalize(NormalizationForm.FormC);
        if (!lowercase)
        {
            return text;
        }
        string decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var stripped = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                stripped.Append(c);
            }
        }
        return stripped.ToString();
    }
}

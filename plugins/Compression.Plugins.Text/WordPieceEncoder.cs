namespace Compression.Plugins.Text;

/// <summary>
/// One text as a sample of <c>[2, maxLength]</c> floats: row 0 the token ids <c>[CLS] text [SEP]</c>
/// then [PAD] ids, row 1 the attention mask (1 for [CLS], the text's tokens and [SEP]; 0 for padding).
/// A text of more than <c>maxLength - 2</c> tokens keeps its first <c>maxLength - 2</c> (as Hugging
/// Face's truncation, longest-first on one sequence), still ended by [SEP].
/// </summary>
internal sealed class WordPieceEncoder(WordPieceVocabulary vocabulary, int maxLength)
{
    private readonly int _cls = vocabulary.Tokenizer.ClassificationTokenId;
    private readonly int _sep = vocabulary.Tokenizer.SeparatorTokenId;
    private readonly int _pad = vocabulary.Tokenizer.PaddingTokenId;

    /// <summary>Values in one sample.</summary>
    public int SampleSize => 2 * maxLength;

    /// <summary>The shape of one sample.</summary>
    public int[] SampleShape => [2, maxLength];

    /// <summary>Writes <paramref name="text"/> into <paramref name="sample"/>; true when it was truncated.</summary>
    public bool Encode(string text, Span<float> sample)
    {
        IReadOnlyList<int> ids = vocabulary.Tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        int kept = Math.Min(ids.Count, maxLength - 2);
        Span<float> tokens = sample[..maxLength];
        Span<float> mask = sample[maxLength..];
        tokens[0] = _cls;
        for (int i = 0; i < kept; i++)
        {
            tokens[i + 1] = ids[i];
        }
        tokens[kept + 1] = _sep;
        tokens[(kept + 2)..].Fill(_pad);
        mask[..(kept + 2)].Fill(1);
        mask[(kept + 2)..].Clear();
        return ids.Count > kept;
    }
}

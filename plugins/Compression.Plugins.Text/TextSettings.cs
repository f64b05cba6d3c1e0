using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Text;

/// <summary><c>data.settings</c> of the "text" format: which columns to read and how text becomes tokens.</summary>
public sealed class TextSettings : IValidatableObject
{
    /// <summary>The longest <see cref="MaxLength"/>: beyond any BERT-family encoder's position table.</summary>
    public const int MaxMaxLength = 8192;

    [Description("The column (CSV header name, or JSON Lines key) holding the text; default \"text\". Matched exactly (case-sensitive).")]
    public string TextColumn { get; set; } = "text";

    [Description("The column holding the class label in the train and test files (default \"label\"; the transfer file needs none, and one it has is ignored). Labels that are all integers (0 or more) are class indices; otherwise they are class names, numbered in ordinal order of the names over train and test.")]
    public string LabelColumn { get; set; } = "label";

    [Description("Tokens per sample, counting [CLS] and [SEP] (default 128). Longer texts are truncated (the count is reported); shorter ones are padded with [PAD] and masked.")]
    [Range(3, MaxMaxLength)]
    public int MaxLength { get; set; } = 128;

    [Required(ErrorMessage = "is required: the path of a WordPiece vocab.txt (one token a line; the line number is its id), relative to compression.json")]
    [Description("Required: the WordPiece vocabulary (vocab.txt: one token a line, the 0-based line number is its id), relative to compression.json. It must hold [CLS], [SEP], [UNK], [PAD] and [MASK].")]
    public string? Vocab { get; set; }

    [Description("Lower-case the text and strip accents before tokenising (default true), as an uncased vocabulary (bert-base-uncased, all-MiniLM-L6-v2) expects; false for a cased one.")]
    public bool Lowercase { get; set; } = true;

    [Description("For the \"embedding\" task: the column of the test file holding each query. With documentColumn, the data is unlabelled: train and transfer are texts (textColumn), the test file is query/document pairs, and the test split holds its queries, then their documents in the same order (query i's relevant document is document i; the other documents are distractors).")]
    public string? QueryColumn { get; set; }

    [Description("For the \"embedding\" task: the column of the test file holding the document relevant to the row's query (see queryColumn).")]
    public string? DocumentColumn { get; set; }

    /// <summary>True when the data is query/document pairs for the embedding task (no labels anywhere).</summary>
    internal bool IsPairs => QueryColumn is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((QueryColumn is null) != (DocumentColumn is null))
        {
            string missing = QueryColumn is null ? nameof(QueryColumn) : nameof(DocumentColumn);
            yield return new ValidationResult("is required with the other of queryColumn and documentColumn: the test file's pairs need both columns", [missing]);
        }
        else if (QueryColumn is not null && (string.IsNullOrWhiteSpace(QueryColumn) || string.IsNullOrWhiteSpace(DocumentColumn) || QueryColumn == DocumentColumn))
        {
            yield return new ValidationResult("expected two different column names for the queries and the documents", [nameof(DocumentColumn)]);
        }
        if (string.IsNullOrWhiteSpace(TextColumn))
        {
            yield return new ValidationResult("expected a column name", [nameof(TextColumn)]);
        }
        if (string.IsNullOrWhiteSpace(LabelColumn))
        {
            yield return new ValidationResult("expected a column name", [nameof(LabelColumn)]);
        }
        else if (LabelColumn == TextColumn)
        {
            yield return new ValidationResult($"expected a column other than the text column \"{TextColumn}\"", [nameof(LabelColumn)]);
        }
    }
}

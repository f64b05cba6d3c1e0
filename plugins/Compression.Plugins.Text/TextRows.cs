namespace Compression.Plugins.Text;

/// <summary>
/// The rows of one text file as read, before tokenising: each row's text, its label as written (null
/// when the file is read without labels), and where it is, for messages.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Texts">The text of each row.</param>
/// <param name="Labels">Each row's label, or null for a file read without labels (transfer).</param>
/// <param name="Lines">The 1-based line each row starts on.</param>
/// <param name="TextField">The text's 1-based field number (CSV), or null (JSON Lines: the key names it).</param>
/// <param name="LabelField">The label's 1-based field number (CSV), or null.</param>
internal sealed record TextRows(string Path, string[] Texts, TextLabel[]? Labels, int[] Lines, int? TextField, int? LabelField)
{
    /// <summary>Where a row's value is, for messages: <c>file:line, field N ("column")</c> (CSV) or <c>file:line, key "column"</c>.</summary>
    public string At(int row, string column, int? field) =>
        $"{System.IO.Path.GetFileName(Path)}:{Lines[row]}, " + (field is int number ? $"field {number} (\"{column}\")" : $"key \"{column}\"");
}

/// <summary>A label as written: its text, and whether it was a JSON number (JSON Lines) rather than a string.</summary>
/// <param name="Text">The label's text (a JSON number's digits as written).</param>
/// <param name="IsNumber">True for a JSON number; a CSV field is never one (all-integer fields are class indices anyway).</param>
internal readonly record struct TextLabel(string Text, bool IsNumber);

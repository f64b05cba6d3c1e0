namespace Compression.Data;

/// <summary>
/// Thrown when a data file cannot be used as it is: not the expected format, truncated, a bad CSV
/// row, or files that disagree with each other. It is bad user input, not a bug, so the host reports
/// it as such (with <see cref="FilePath"/> and, for text files, <see cref="Line"/> and
/// <see cref="Column"/>) instead of printing a stack. The message names the file and says what was
/// expected and what was found.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file at fault, as given to the reader.</param>
    /// <param name="message">Starts with the file's name; says what was expected and what was found.</param>
    /// <param name="line">1-based line in a text file, if the fault is on one line.</param>
    /// <param name="column">1-based column (field) in a text file, if the fault is in one field.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DataFormatException(string filePath, string message, int? line = null, int? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>1-based line in a text file, or null.</summary>
    public int? Line { get; }

    /// <summary>1-based column (field number) in a text file, or null.</summary>
    public int? Column { get; }
}

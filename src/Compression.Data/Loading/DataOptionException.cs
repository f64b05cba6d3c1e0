namespace Compression.Data.Loading;

/// <summary>
/// Thrown when a data option does not fit the data it is applied to (e.g. <c>data.labeledCount</c>
/// larger than the training rows), or conflicts with another option. It names the option by its path
/// in compression.json (<see cref="Option"/>) so the host can point at its line; the message says
/// what was expected and what was found.
/// </summary>
public class DataOptionException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="option">The option's path in compression.json, e.g. <c>data.labeledCount</c>.</param>
    /// <param name="message">Starts with the option's path; says what was expected and what was found.</param>
    public DataOptionException(string option, string message)
        : base(message)
    {
        Option = option;
    }

    /// <summary>The option at fault, as its path in compression.json (e.g. <c>data.labeledCount</c>).</summary>
    public string Option { get; }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Compression.Build;

/// <summary>Recognises the lines <c>compress</c> prints: canonical findings and progress.</summary>
public static partial class OutputLine
{
    /// <summary>A finding parsed from a canonical line.</summary>
    public sealed record Finding(bool IsError, string Code, string? File, int Line, int Column, string Message);

    [GeneratedRegex(@"^(?<origin>.+?)(\((?<line>\d+)(,(?<col>\d+))?\))?: (?<kind>error|warning) (?<code>CMP\d{4}): (?<message>.*)$")]
    private static partial Regex Canonical();

    public static bool TryParseFinding(string line, out Finding finding)
    {
        Match match = Canonical().Match(line);
        if (!match.Success)
        {
            finding = null!;
            return false;
        }
        string origin = match.Groups["origin"].Value;
        finding = new Finding(
            match.Groups["kind"].Value == "error",
            match.Groups["code"].Value,
            origin == "compress" ? null : origin,
            match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) : 0,
            match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value, CultureInfo.InvariantCulture) : 0,
            match.Groups["message"].Value);
        return true;
    }

    public static bool IsProgress(string line) => line.StartsWith("compress: ", StringComparison.Ordinal);
}

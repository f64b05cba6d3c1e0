namespace Compression.Core.Running;

/// <summary>
/// What to add to "data file not found" when the missing path is where a system package would have put
/// it: Debian's data sets (<c>dataset-fashion-mnist</c>, ...) install under
/// <c>/usr/share/datasets/&lt;name&gt;/</c>, so a config pointing there most likely lacks the package,
/// and the message can say which command installs it.
/// </summary>
internal static class SystemDataHint
{
    private const string DebianDatasets = "/usr/share/datasets/";

    /// <summary>The hint (starting with "; "), or an empty string when the path is not under a known system data folder.</summary>
    /// <param name="fullPath">The missing file's absolute path.</param>
    public static string For(string fullPath)
    {
        if (!fullPath.StartsWith(DebianDatasets, StringComparison.Ordinal))
        {
            return "";
        }
        string name = fullPath[DebianDatasets.Length..].Split('/')[0];
        return name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+')
            ? ""
            : $"; {DebianDatasets} is where Debian's data set packages install their files: apt-get install dataset-{name}";
    }
}

using Compression.Data;

namespace Compression.Core.Diagnostics;

/// <summary>
/// The finding for a config path that names a folder, device, FIFO or socket instead of a file
/// (CMP2005): checked without opening it, since reading a device never ends and opening a FIFO blocks.
/// </summary>
internal static class NotRegularFile
{
    /// <summary>The finding, or null when <paramref name="fullPath"/> is a regular file (or a link to one) or does not exist.</summary>
    /// <param name="field">The field's path in compression.json, e.g. <c>data.train.features</c>.</param>
    /// <param name="fullPath">The path it names, resolved.</param>
    /// <param name="expected">What the field should name, e.g. "a regular IDX data file".</param>
    /// <param name="location">Where the field's value is.</param>
    public static Finding? Check(string field, string fullPath, string expected, SourceLocation location) =>
        RegularFile.NotRegular(fullPath) is string kind
            ? new Finding(Severity.Error, ErrorCodes.DataNotRegularFile,
                $"'{field}': {fullPath} is {kind}: expected {expected} (a folder, device, pipe or socket is never read)", location)
            : null;
}

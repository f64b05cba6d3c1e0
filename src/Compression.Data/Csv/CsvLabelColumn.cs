using System.Globalization;

namespace Compression.Data.Csv;

/// <summary>
/// Which CSV column holds the label: by header name (the usual case, robust to column reordering)
/// or by 0-based position (for files whose label column has no useful name).
/// </summary>
public readonly record struct CsvLabelColumn
{
    private CsvLabelColumn(string? name, int? index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The label column's header name (matched ignoring case), or null when chosen by position.</summary>
    public string? Name { get; }

    /// <summary>The label column's 0-based position, or null when chosen by name.</summary>
    public int? Index { get; }

    /// <summary>The label is the column with this header name (matched ignoring case).</summary>
    public static CsvLabelColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new CsvLabelColumn(name, null);
    }

    /// <summary>The label is the column at this 0-based position.</summary>
    public static CsvLabelColumn At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new CsvLabelColumn(null, index);
    }

    /// <summary>How error messages name the column: <c>'label'</c> or <c>#0</c>.</summary>
    public override string ToString() =>
        Name is not null ? $"'{Name}'" : "#" + (Index ?? 0).ToString(CultureInfo.InvariantCulture);
}

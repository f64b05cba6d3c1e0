namespace Compression.Abstractions.Data;

/// <summary>Chosen rows of another store, read row by row (a validation split, a labelled subset).</summary>
internal sealed class SelectedRows : RowStore
{
    private readonly RowStore _source;
    private readonly int[] _rows;

    public SelectedRows(RowStore source, int[] rows)
        : base(Checked(source, rows).Length, source.SampleSize)
    {
        _source = source;
        _rows = rows;
    }

    protected override void Read(int start, int count, Span<float> destination)
    {
        for (int i = 0; i < count; i++)
        {
            _source.CopyRows(_rows[start + i], 1, destination.Slice(i * SampleSize, SampleSize));
        }
    }

    private static int[] Checked(RowStore source, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        if (Array.FindIndex(rows, row => (uint)row >= (uint)source.Count) is int bad and >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows[bad], $"row {bad} is outside the store's {source.Count} rows");
        }
        return rows;
    }
}

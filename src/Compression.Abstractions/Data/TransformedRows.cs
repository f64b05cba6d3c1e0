namespace Compression.Abstractions.Data;

/// <summary>Another store's rows, changed as they are read (normalisation of a split too large to normalise in place).</summary>
internal sealed class TransformedRows : RowStore
{
    private readonly RowStore _source;
    private readonly RowTransform _transform;

    public TransformedRows(RowStore source, RowTransform transform)
        : base((source ?? throw new ArgumentNullException(nameof(source))).Count, source.SampleSize)
    {
        ArgumentNullException.ThrowIfNull(transform);
        _source = source;
        _transform = transform;
    }

    protected override void Read(int start, int count, Span<float> destination)
    {
        _source.CopyRows(start, count, destination);
        _transform(destination);
    }
}

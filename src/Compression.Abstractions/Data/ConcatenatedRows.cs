namespace Compression.Abstractions.Data;

/// <summary>The rows of one store followed by another's.</summary>
internal sealed class ConcatenatedRows : RowStore
{
    private readonly RowStore _first;
    private readonly RowStore _second;

    public ConcatenatedRows(RowStore first, RowStore second)
        : base(checked(Checked(first, second).Count + second.Count), first.SampleSize)
    {
        _first = first;
        _second = second;
    }

    protected override void Read(int start, int count, Span<float> destination)
    {
        int fromFirst = Math.Clamp(_first.Count - start, 0, count);
        _first.CopyRows(Math.Min(start, _first.Count), fromFirst, destination);
        _second.CopyRows(Math.Max(start - _first.Count, 0), count - fromFirst, destination[(fromFirst * SampleSize)..]);
    }

    private static RowStore Checked(RowStore first, RowStore second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.SampleSize != second.SampleSize)
        {
            throw new ArgumentException($"rows of {first.SampleSize} and of {second.SampleSize} values cannot be concatenated", nameof(second));
        }
        return first;
    }
}
